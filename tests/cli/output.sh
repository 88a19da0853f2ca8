#!/bin/sh
# --output: the file holds exactly what stdout would, is written atomically
# (no temporary file left behind, an old file replaced whole), and a failed
# write or a run that stops before reporting leaves an old file untouched.
. tests/cli/lib/common.sh

# shellcheck disable=SC2086
zl $LINT --format json "$DATA/error.txt" "$DATA/warning.txt"
expect_rc 1 "json to stdout"
cp "$TMP/out" "$TMP/stdout.json"

mkdir "$TMP/o"
echo "old content" >"$TMP/o/report.json"
zl $LINT --format json --output "$TMP/o/report.json" "$DATA/error.txt" "$DATA/warning.txt"
expect_rc 1 "json to --output"
[ ! -s "$TMP/out" ] || fail "--output: nothing may go to stdout"
cmp -s "$TMP/stdout.json" "$TMP/o/report.json" || fail "--output differs from stdout"
[ "$(ls -A "$TMP/o")" = "report.json" ] || fail "--output left other files: $(ls -A "$TMP/o")"

zl $LINT --format=json --output="$TMP/o/report2.json" "$DATA/error.txt" "$DATA/warning.txt"
cmp -s "$TMP/stdout.json" "$TMP/o/report2.json" || fail "--output=FILE form"

zl $LINT -o "$TMP/o/report.txt" "$DATA/error.txt"
expect_rc 1 "text to -o"
grep -q "^1 error, 0 warnings, 0 infos in 1 file$" "$TMP/o/report.txt" || fail "text report file"

# a run that stops on a rule error writes nothing
cp "$TMP/o/report.json" "$TMP/before.json"
zl --no-default-rules --rules "$DATA/syntax-error.rules" --format json \
    --output "$TMP/o/report.json" "$DATA/error.txt"
expect_rc 2 "rule error"
cmp -s "$TMP/before.json" "$TMP/o/report.json" || fail "a failed run changed the old report"

# an output in a directory that does not exist: exit 2, nothing created
zl $LINT --output "$TMP/missing/dir/report.json" "$DATA/clean.txt"
expect_rc 2 "output in a missing directory"
expect_err "cannot write '$TMP/missing/dir/report.json'" "write error message"
[ ! -e "$TMP/missing" ] || fail "a missing output directory was created"

# an output path that is a directory: the rename fails, no temp file is left
mkdir "$TMP/o/adir"
zl $LINT --output "$TMP/o/adir" "$DATA/clean.txt"
expect_rc 2 "output onto a directory"
[ -z "$(ls -A "$TMP/o/adir")" ] || fail "output into a directory left files"
case $(ls -A "$TMP/o") in *XXXX* | .*) fail "temporary file left: $(ls -A "$TMP/o")" ;; esac
[ "$(ls -A "$TMP/o" | grep -c '^\.')" -eq 0 ] || fail "hidden temporary file left"

# a target that is not a regular file is written in place, never replaced
# (as root, a rename over /dev/null would turn the device into a file): a
# symbolic link stays a link and its file gets the report; a FIFO stays a
# FIFO and its reader gets the report
echo "old content" >"$TMP/o/real.json"
ln -s real.json "$TMP/o/link.json"
zl $LINT --format json --output "$TMP/o/link.json" "$DATA/error.txt" "$DATA/warning.txt"
expect_rc 1 "output through a symbolic link"
[ -L "$TMP/o/link.json" ] || fail "the symbolic link was replaced"
cmp -s "$TMP/stdout.json" "$TMP/o/real.json" || fail "the link's file lacks the report"
if mkfifo "$TMP/fifo" 2>/dev/null; then
    timeout 20 cat "$TMP/fifo" >"$TMP/from-fifo" &
    reader=$!
    zl $LINT --format json --output "$TMP/fifo" "$DATA/error.txt" "$DATA/warning.txt"
    expect_rc 1 "output into a FIFO"
    wait "$reader" || fail "the FIFO's reader got nothing (timeout)"
    [ -p "$TMP/fifo" ] || fail "the FIFO was replaced by a file"
    cmp -s "$TMP/stdout.json" "$TMP/from-fifo" || fail "the FIFO's reader got another report"
fi
[ "$(ls -A "$TMP/o" | grep -c '^\.')" -eq 0 ] || fail "hidden temporary file left"

# an input that is also an --output (the same file under another name too):
# exit 2 before anything is written, the input intact
cp "$DATA/error.txt" "$TMP/o/policy.txt"
cp "$TMP/o/policy.txt" "$TMP/policy.orig"
zl $LINT --format json --output "$TMP/o/../o/policy.txt" "$TMP/o/policy.txt"
expect_rc 2 "an input as --output"
expect_err "'$TMP/o/policy.txt' is both an input and an --output file" "input as output message"
cmp -s "$TMP/o/policy.txt" "$TMP/policy.orig" || fail "the input was overwritten"
echo "output: ok"
