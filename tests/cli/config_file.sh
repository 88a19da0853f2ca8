#!/bin/sh
# The .zanlint file: discovery by walking up, --config, --no-config, the
# command line beating the file, per-path overrides, and errors with the
# file and line (exit 2).
. tests/cli/lib/common.sh
RULES=$ROOT/tests/fixtures/rules/suppress
mkdir -p "$TMP/proj/sub/deep" "$TMP/proj/legal"
printf 'Мы продаем персональные данные партнерам.\n' >"$TMP/proj/sub/deep/p.txt"
cp "$TMP/proj/sub/deep/p.txt" "$TMP/proj/legal/p.txt"
printf 'Мы используем cookie.\n' >"$TMP/proj/legal/c.txt"
cat >"$TMP/proj/.zanlint" <<CFG
# project settings
no-default-rules = true
rules = $(basename "$RULES")-link
lang = en
fail-on = warning

[path:legal/**]
disable = sup.sell
CFG
ln -s "$RULES" "$TMP/proj/$(basename "$RULES")-link"

# discovery from a subdirectory two levels down; rules resolve against the file's directory
cd "$TMP/proj/sub/deep" || exit 1
zl p.txt
expect_rc 1 "config found by walking up"
expect_out "p.txt:1:4: error: The text allows selling personal data. [sup.sell]" "lang and rules from the config"
zl --no-config --no-default-rules --rules "$RULES" p.txt
expect_rc 1 "--no-config"
expect_out "Текст допускает продажу" "--no-config: default language ru"
zl --lang ru p.txt
expect_out "Текст допускает продажу" "the command line beats the file"

# per-path override: legal/** disables sup.sell; the command line beats that too
cd "$TMP/proj" || exit 1
zl legal/p.txt sub/deep/p.txt
expect_no_out "legal/p.txt:1:4" "path section disables the rule"
expect_out "sub/deep/p.txt:1:4: error:" "other paths keep it"
zl --enable sup.sell legal/p.txt
expect_out "legal/p.txt:1:4: error:" "--enable beats the section"
# a symbolic link is matched where it is, not where it points
ln -s ../sub/deep/p.txt legal/link.txt
zl legal/link.txt
expect_no_out "legal/link.txt:1:4" "path section applies to a link in legal/"
zl sub/deep/../../legal/link.txt
expect_no_out "link.txt:1:4" "path section applies to a link named through .."
rm legal/link.txt
ln -s ../legal/p.txt sub/link.txt
zl sub/link.txt
expect_out "sub/link.txt:1:4: error:" "a link outside legal/ to a file in it keeps the rule"
rm sub/link.txt
zl legal/c.txt
expect_rc 1 "fail-on warning from the config"
zl --fail-on error legal/c.txt
expect_rc 0 "--fail-on beats the config"

# --config FILE
printf 'lang = ru\nno-default-rules = yes\n' >"$TMP/other.cfg"
zl --config "$TMP/other.cfg" --rules "$RULES" legal/c.txt
expect_out "Упомянуты файлы cookie." "--config file used instead"
zl --config "$TMP/nope.cfg" legal/c.txt
expect_rc 2 "missing --config file"
zl --config "$TMP" legal/c.txt
expect_rc 2 "--config DIRECTORY"
expect_err "zanlint: $TMP: error: cannot read: Is a directory" "--config DIRECTORY message"

# format from the file: also for an --output given without its own --format
printf 'format = json\nno-default-rules = yes\n' >"$TMP/fmt.cfg"
zl --config "$TMP/fmt.cfg" --rules "$RULES" -o "$TMP/r.out" legal/c.txt
expect_rc 0 "format from the config with --output"
grep -q '"schemaVersion": 1' "$TMP/r.out" || fail "--output without --format: not the config's format"
zl --config "$TMP/fmt.cfg" --rules "$RULES" --format text -o "$TMP/r.out" legal/c.txt
! grep -q '"schemaVersion"' "$TMP/r.out" || fail "--format text --output: the config's format won"
zl --config "$TMP/fmt.cfg" --rules "$RULES" --format text -o "$TMP/r1.out" -o "$TMP/r2.out" legal/c.txt
grep -q '"schemaVersion": 1' "$TMP/r2.out" || fail "second --output without --format: not the config's format"

# a configured suppression that covered nothing is not reported where a
# section turns zanlint.unused-suppression off
printf '[path:proj/legal/*]\nsuppress = sup.cookies -- the banner\n' >"$TMP/u1.cfg"
zl --config "$TMP/u1.cfg" --no-default-rules --rules "$RULES" legal/p.txt
expect_err "u1.cfg:2: warning: unused suppression: rule 'sup.cookies'" "unused configured suppression"
printf '[path:proj/legal/*]\ndisable = zanlint.unused-suppression\nsuppress = sup.cookies -- the banner\n' \
    >"$TMP/u2.cfg"
zl --config "$TMP/u2.cfg" --no-default-rules --rules "$RULES" legal/p.txt
! grep -q "unused suppression" "$TMP/err" || fail "unused suppression reported where the section turns it off"
zl --config "$TMP/u2.cfg" --no-default-rules --rules "$RULES" --enable zanlint.unused-suppression legal/p.txt
expect_err "u2.cfg:3: warning: unused suppression: rule 'sup.cookies'" "--enable beats the section"

# errors: file and line, exit 2
printf 'lang = en\n\ncolour = always\n' >"$TMP/e1"
zl --config "$TMP/e1" --no-default-rules --rules "$RULES" legal/c.txt
expect_rc 2 "unknown key"
grep -qxF "zanlint: $TMP/e1:3: error: unknown key 'colour'" "$TMP/err" || fail "unknown key message"
printf '[rules]\n' >"$TMP/e2"
zl --config "$TMP/e2" legal/c.txt
expect_rc 2 "unknown section"
expect_err "$TMP/e2:1: error: unknown section '[rules]'" "unknown section message"
printf 'lang = en\njust words\n' >"$TMP/e3"
zl --config "$TMP/e3" legal/c.txt
expect_err "$TMP/e3:2: error: expected 'key = value', found 'just words'" "malformed line"
printf 'no-default-rules = true\nrules = %s\ndisable = sup.nope\n' "$RULES" >"$TMP/e4"
zl --config "$TMP/e4" legal/c.txt
expect_rc 2 "unknown rule id"
expect_err "$TMP/e4:3: error: unknown rule 'sup.nope'" "unknown rule message"
printf '[path:*.txt]\nsuppress = sup.sell\n' >"$TMP/e5"
zl --config "$TMP/e5" legal/c.txt
expect_rc 2 "suppress without a reason"
expect_err "$TMP/e5:2: error: 'suppress' needs a reason" "reason message"

# the .zanlint in the current directory is shown as such
printf 'bogus = 1\n' >"$TMP/proj/sub/.zanlint"
cd "$TMP/proj/sub" || exit 1
zl deep/p.txt
expect_rc 2 "nearest config wins"
grep -qxF "zanlint: .zanlint:1: error: unknown key 'bogus'" "$TMP/err" || fail "display path .zanlint"
exit 0
