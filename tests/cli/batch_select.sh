#!/bin/sh
# Batch input selection: --include/--exclude (gitignore-style, relative to
# the PATH directory; '*', '?', '[...]', '**', trailing '/', '!'), and
# .zanlintignore files (comments, negation, applying to their subtree, the
# deepest file deciding); an explicitly named file is always linted.  The
# exact list of linted paths is read from the JSON output.
. tests/cli/lib/common.sh

T=$TMP/t
mkdir -p "$T/legal/old" "$T/legal/kk" "$T/drafts/deep" "$T/web" "$T/vendor/x"
for f in a.txt b.md legal/p1.txt legal/p2.md legal/old/p0.txt legal/kk/k1.txt \
    drafts/d1.txt drafts/deep/d2.txt web/index.md web/draft-3.txt vendor/x/v.txt; do
    cp "$DATA/error.txt" "$T/$f"
done

# paths PATHS-ARGS...: the linted paths (relative to $T), space-separated
paths() {
    zl $LINT --no-config --format json "$@"
    [ "$rc" -le 1 ] || fail "exit $rc for: $*"
    sed -n 's/^      "path": "\(.*\)",$/\1/p' "$TMP/out" | sed "s|^$T/||" | tr '\n' ' '
}
check() { # WANT ARGS...
    want=$1
    shift
    got=$(paths "$@")
    [ "$got" = "$want" ] || fail "$*: got '$got', want '$want'"
}

check "a.txt b.md drafts/d1.txt drafts/deep/d2.txt legal/kk/k1.txt legal/old/p0.txt legal/p1.txt legal/p2.md vendor/x/v.txt web/draft-3.txt web/index.md " "$T"
check "b.md legal/p2.md web/index.md " --include '*.md' "$T"
check "legal/kk/k1.txt legal/old/p0.txt legal/p1.txt legal/p2.md " --include 'legal/' "$T"
check "legal/kk/k1.txt legal/old/p0.txt legal/p1.txt legal/p2.md " --include 'legal/**' "$T"
check "legal/p1.txt legal/p2.md " --include '/legal/p?.*' "$T"
check "drafts/deep/d2.txt legal/kk/k1.txt " --include '**/[dk][0-9].txt' --exclude 'drafts/d1*' "$T"
check "a.txt b.md legal/kk/k1.txt legal/p1.txt legal/p2.md web/index.md " \
    --exclude 'drafts/' --exclude 'old' --exclude vendor --exclude '*draft*' "$T"
# a trailing slash matches directories only: a file named like it stays
check "a.txt b.md legal/kk/k1.txt legal/old/p0.txt legal/p1.txt legal/p2.md vendor/x/v.txt web/draft-3.txt web/index.md " \
    --exclude 'drafts/' --exclude 'index.md/' "$T"
# relative to the PATH argument, not the working directory
check "vendor/x/v.txt " --include 'x/*.txt' "$T/vendor"
# an explicitly named file is always linted
check "drafts/d1.txt " --exclude '*.txt' "$T/drafts/d1.txt"

# .zanlintignore: root file, a deeper one with negation, comments
cat >"$T/.zanlintignore" <<'EOF'
# drafts are not policies
drafts/
*.md
!web/*.md
vendor
EOF
printf '# keep the archive out, but its Kazakh text is current\nold/\n!b.md\n' \
    >"$T/legal/.zanlintignore"
check "a.txt legal/kk/k1.txt legal/p1.txt web/draft-3.txt web/index.md " "$T"
# a UTF-8 BOM (Notepad) does not spoil the first pattern
printf '\357\273\277' | cat - "$T/.zanlintignore" >"$TMP/bom-ignore"
cp "$TMP/bom-ignore" "$T/.zanlintignore"
check "a.txt legal/kk/k1.txt legal/p1.txt web/draft-3.txt web/index.md " "$T"
# the deepest file decides: legal/.zanlintignore's "!b.md" has no b.md below it,
# a negation there re-includes its own files
printf '!p2.md\n' >>"$T/legal/.zanlintignore"
check "a.txt legal/kk/k1.txt legal/p1.txt legal/p2.md web/draft-3.txt web/index.md " "$T"
# --exclude beats .zanlintignore, in both directions
check "a.txt b.md legal/kk/k1.txt legal/p1.txt legal/p2.md web/index.md " \
    --exclude '!b.md' --exclude 'draft*' "$T"
# a .zanlintignore applies to its own subtree, walked from below it too; the
# files of directories above the PATH argument are not read
check "legal/kk/k1.txt legal/p1.txt legal/p2.md " "$T/legal"
check "vendor/x/v.txt " "$T/vendor"

# the run's own --output files are never taken from a walk, so a report
# written into the audited folder does not become a document of the next
# run; a zanlint HTML report found otherwise is an input error that says
# how to leave it out, and the other documents are still reported
R=$TMP/r
mkdir -p "$R/sub"
cp "$T/a.txt" "$T/legal/p1.txt" "$R/"
# shellcheck disable=SC2086
zl $LINT --format html --output "$R/audit.html" --format json --output "$R/sub/audit.json" "$R"
cp "$R/audit.html" "$TMP/first.html"
# shellcheck disable=SC2086
zl $LINT --format html --output "$R/audit.html" --format json --output "$R/sub/audit.json" "$R"
expect_empty_err "second run over its own report"
cmp -s "$TMP/first.html" "$R/audit.html" || fail "the second run linted its own earlier report"
# shellcheck disable=SC2086
zl $LINT --format json "$R"
expect_rc 2 "an old zanlint report in the folder"
expect_err "$R/audit.html: error: a zanlint report, not a policy (leave it out: --exclude or .zanlintignore)" \
    "own report message"
[ "$(grep -c '"path": ' "$TMP/out")" -eq 3 ] || fail "the other documents must still be reported"

# an --output file named like a document of the folder that is no zanlint
# report (a policy) is neither skipped nor replaced: the run stops first
cp "$T/a.txt" "$R/vendor.html"
cp "$R/vendor.html" "$TMP/vendor.before"
# shellcheck disable=SC2086
zl $LINT --format html --output "$R/vendor.html" "$R"
expect_rc 2 "an --output file that is a policy of the folder"
expect_err "'$R/vendor.html' is both an input and an --output file: the report would replace it" \
    "an --output policy message"
cmp -s "$TMP/vendor.before" "$R/vendor.html" || fail "the policy under the --output name was replaced"
rm "$R/vendor.html"
# a text report written under a Markdown name is recognised as one too
# shellcheck disable=SC2086
zl $LINT "$T/a.txt"
cp "$TMP/out" "$R/report.md"
# shellcheck disable=SC2086
zl $LINT --format json "$R/report.md"
expect_rc 2 "a text report named .md"
expect_err "$R/report.md: error: a zanlint report, not a policy" "a text report named .md"
# shellcheck disable=SC2086
zl $LINT --output "$R/report.md" "$R"
! grep -qF "report.md" "$TMP/err" || fail "the --output text report under a .md name was walked"
rm "$R/report.md"

# the owner file Word keeps beside an open document is not walked; named, it is read
printf '\013John Smith\000\000\000\000' >"$R/~\$a.docx"
rm "$R/audit.html"
# shellcheck disable=SC2086
zl $LINT --format json "$R"
expect_rc 1 "an Office owner file in the folder"
expect_empty_err "an Office owner file is skipped"
# shellcheck disable=SC2086
zl $LINT --format json "$R/~\$a.docx"
expect_rc 2 "an Office owner file named explicitly"
rm "$R/~\$a.docx"

# standard output and error redirected into the audited folder are the run's
# own files too (`zanlint docs/ > docs/report.txt` found its own half-written
# report, an empty file, and exited 2); a text report of an earlier run is a
# zanlint report, whether its first line is a finding (any position form)
# or, for a run without findings, the summary
# shellcheck disable=SC2086
"$ZANLINT" $LINT "$R" >"$R/report.txt" 2>"$R/errors.txt"
rc=$?
expect_rc 1 "standard output and error redirected into the folder"
[ ! -s "$R/errors.txt" ] || fail "redirected run: $(cat "$R/errors.txt")"
tail -n 1 "$R/report.txt" | grep -q ' in 2 files ' || fail "the run took its own output as an input"
rm "$R/errors.txt"
printf '0 errors, 0 warnings, 0 infos in 2 files (2 compliant)\n' >"$R/clean-run.txt"
printf 'x.docx:\302\2663:1: warning: Текст [kz94v.retention] (ст. 12)\n' >"$R/docx-run.txt"
printf 'x.pdf:p2:14:7: info: Текст [kz94v.law-reference] (ст. 4)\n' >"$R/pdf-run.txt"
printf '1 error, 1 warning, 1 info in 1 file\n' >"$R/one-run.txt"
printf '0 errors, 0 warnings, 0 infos in 2 files of the archive\n' >"$R/not-a-report.txt"
# shellcheck disable=SC2086
zl $LINT --format json "$R"
expect_rc 2 "old text reports in the folder"
for f in clean-run docx-run one-run pdf-run report; do
    expect_err "$R/$f.txt: error: a zanlint report, not a policy" "$f.txt refused"
done
[ "$(grep -c 'a zanlint report' "$TMP/err")" -eq 5 ] || fail "only the five reports are refused"
grep -qF "\"path\": \"$R/not-a-report.txt\"," "$TMP/out" || fail "a policy line like a summary"
sed -n "/not-a-report.txt/,/findings/p" "$TMP/out" | grep -q '"error": null' ||
    fail "a first line like a summary but not one is linted"
# a named input that is standard output's file is an error before anything is read
cp "$R/a.txt" "$TMP/gone.txt"
# shellcheck disable=SC2086
"$ZANLINT" $LINT "$TMP/gone.txt" >>"$TMP/gone.txt" 2>"$TMP/err"
rc=$?
expect_rc 2 "input that is the standard output"
expect_err "'$TMP/gone.txt' is both an input and the standard output" "input as stdout message"

# usage errors
zl $LINT --include '!x' "$T"
expect_rc 2 "a negated --include"
expect_err "use --exclude" "negated --include message"
zl $LINT --exclude '' "$T"
expect_rc 2 "an empty --exclude"
echo "batch_select: ok"
