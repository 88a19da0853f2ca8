#!/bin/sh
# Batch errors never stop the batch: a symbolic link loop, a dangling link,
# a FIFO (never opened, so the run cannot hang) or a link to one, a
# directory nested too deep, an unreadable file and directory (not
# when running as root, where permissions do not bite) are each reported for
# their path, every other document is still linted, and the exit status is 2
# (with -j 1 and -j 2).  The progress line: never when standard error is not
# a terminal; on a terminal (script(1)) shown for a long batch, but not with
# --quiet or CI=true.
. tests/cli/lib/common.sh

T=$TMP/t
mkdir -p "$T/a" "$T/b"
i=0
while [ $i -lt 30 ]; do
    cp "$DATA/error.txt" "$T/a/doc$i.txt"
    i=$((i + 1))
done
cp "$DATA/clean.txt" "$T/b/clean.txt"
ln -s loop.txt "$T/b/loop.txt"
mkfifo "$T/b/pipe.txt"
# a dangling link and a link to a FIFO with a document's name are reported;
# a loop or FIFO without one is not a document, like any other such file
ln -s /nonexistent/zanlint/vendor.txt "$T/b/dangling.txt"
ln -s pipe.txt "$T/b/via-link.txt"
ln -s cache "$T/b/cache"
mkfifo "$T/b/pipe.dat"
want_err=4
root=0
[ "$(id -u)" -eq 0 ] && root=1
if [ $root -eq 0 ]; then
    cp "$DATA/error.txt" "$T/b/secret.txt"
    chmod 000 "$T/b/secret.txt"
    mkdir "$T/locked"
    chmod 000 "$T/locked"
    want_err=6
fi

for j in 1 2; do
    zl $LINT --format json -j $j "$T"
    expect_rc 2 "-j $j: batch with broken inputs"
    n=$(grep -c '"path": ' "$TMP/out")
    [ "$n" -eq $((31 + want_err)) ] || fail "-j $j: $n inputs in the JSON, want $((31 + want_err))"
    [ "$(grep -c '"rule": "clitest.consent"' "$TMP/out")" -eq 30 ] ||
        fail "-j $j: the good documents were not all linted"
    [ "$(grep -c '"error": "cannot' "$TMP/out")" -eq $want_err ] || fail "-j $j: error entries"
    grep -qF "b/loop.txt: error: cannot open: " "$TMP/err" || fail "-j $j: symlink loop not reported"
    grep -qF "b/pipe.txt: error: cannot open: not a regular file (a FIFO)" "$TMP/err" ||
        fail "-j $j: FIFO not reported"
    expect_err "b/dangling.txt: error: cannot open: No such file or directory" \
        "-j $j: dangling link"
    expect_err "b/via-link.txt: error: cannot open: not a regular file (a FIFO)" \
        "-j $j: link to a FIFO"
    ! grep -qF -e "b/cache" -e "pipe.dat" "$TMP/err" || fail "-j $j: a non-document reported"
    if [ $root -eq 0 ]; then
        expect_err "b/secret.txt: error: " "-j $j: unreadable file"
        expect_err "locked: error: " "-j $j: unreadable directory"
    fi
    # not a terminal: no progress line
    ! grep -q "documents, " "$TMP/err" || fail "-j $j: progress line on a non-terminal"
    ! grep -q "$(printf '\r')" "$TMP/err" || fail "-j $j: carriage return on a non-terminal"
done

# a directory nested deeper than the walk goes is reported, not dropped
D=$TMP/deep
mkdir -p "$D"
(
    cd "$D" || exit 1
    i=0
    while [ $i -lt 257 ]; do
        mkdir d && cd d || exit 1
        i=$((i + 1))
    done
    cp "$DATA/error.txt" bottom.txt
)
zl $LINT --format json "$D"
expect_rc 2 "a directory nested too deep"
expect_err "error: cannot open: not walked: nested deeper than 256 directories" "too deep message"

if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    # script(1) runs the command on a pseudo-terminal; its output comes back here
    tty_run() { # ENV-ASSIGNMENT ARGS...
        _env=$1
        shift
        script -qec "env -u CI $_env '$ZANLINT' $LINT -j 2 $* '$T/a'" /dev/null \
            </dev/null >"$TMP/tty" 2>&1
    }
    tty_run "" --format json
    grep -q "zanlint: [0-9]*/30 documents, .* docs/s, ETA " "$TMP/tty" ||
        fail "no progress line on a terminal"
    tty_run "" --format json --quiet
    ! grep -q "documents, " "$TMP/tty" || fail "progress line with --quiet"
    tty_run "CI=true" --format json
    ! grep -q "documents, " "$TMP/tty" || fail "progress line with CI=true"

    # the run's summary on the terminal when no text report shows it there
    # (the terminal's lines: carriage returns and line erasures taken out)
    tty_lines() { tr '\r' '\n' <"$TMP/tty" | sed "s/$(printf '\033')\\[K//g" >"$TMP/lines"; }
    tty_run "" --format html --output "'$TMP/r.html'" --format csv --output "'$TMP/r.csv'"
    tty_lines
    grep -qxF "zanlint: 30 errors, 0 warnings, 0 infos in 30 files (0 compliant); reports written to $TMP/r.html, $TMP/r.csv" \
        "$TMP/lines" || fail "no summary on the terminal for reports written to files"
    tty_run "" --format json "> '$TMP/r.json'"
    tty_lines
    grep -qxF 'zanlint: 30 errors, 0 warnings, 0 infos in 30 files (0 compliant)' "$TMP/lines" ||
        fail "no summary on the terminal for a redirected standard output"
    tty_run ""
    tty_lines
    grep -qxF '30 errors, 0 warnings, 0 infos in 30 files (0 compliant)' "$TMP/lines" ||
        fail "text summary on the terminal"
    ! grep -q '^zanlint: 30 errors' "$TMP/lines" || fail "the summary twice under a text report"
    for quiet in "--quiet" "CI=true"; do
        case $quiet in CI=*) tty_run "$quiet" --format json -o "'$TMP/r.json'" ;;
        *) tty_run "" "$quiet" --format json -o "'$TMP/r.json'" ;; esac
        ! grep -q "in 30 files" "$TMP/tty" || fail "summary on the terminal with $quiet"
    done
fi
echo "batch_errors: ok"
