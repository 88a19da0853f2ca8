# Shared helpers for tests/cli/*.sh (sourced; POSIX sh).
#   ZANLINT  the binary under test (made absolute); BUILD  the build directory.
#   TMP      a scratch directory removed on exit.
#   zl ARGS  runs the binary (under $TEST_WRAP when set) with stdout in
#            $TMP/out, stderr in $TMP/err and the exit status in $rc.
set -u
: "${ZANLINT:?set ZANLINT to the zanlint binary}"
case $ZANLINT in /*) ;; *) ZANLINT=$PWD/$ZANLINT ;; esac
ROOT=$PWD
DATA=$ROOT/tests/cli/data
PACK=$DATA/pack
TMP=$(mktemp -d "${TMPDIR:-/tmp}/zanlint-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
NO_COLOR=1
export NO_COLOR
unset FORCE_COLOR

fail() {
    echo "FAIL: $*" >&2
    if [ -f "$TMP/out" ]; then echo "--- stdout:" >&2; head -n 40 "$TMP/out" >&2; fi
    if [ -f "$TMP/err" ]; then echo "--- stderr:" >&2; head -n 40 "$TMP/err" >&2; fi
    exit 1
}

zl() {
    # shellcheck disable=SC2086
    ${TEST_WRAP:-} "$ZANLINT" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

# zl_in INPUT-FILE ARGS: same with standard input from a file.
zl_in() {
    _in=$1
    shift
    # shellcheck disable=SC2086
    ${TEST_WRAP:-} "$ZANLINT" "$@" <"$_in" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

expect_rc() { # CODE WHAT
    [ "$rc" -eq "$1" ] || fail "$2: expected exit $1, got $rc"
}
expect_out() { # FIXED-STRING WHAT
    grep -qF -- "$1" "$TMP/out" || fail "$2: stdout lacks '$1'"
}
expect_no_out() {
    ! grep -qF -- "$1" "$TMP/out" || fail "$2: stdout has '$1'"
}
expect_err() {
    grep -qF -- "$1" "$TMP/err" || fail "$2: stderr lacks '$1'"
}
expect_empty_err() {
    [ ! -s "$TMP/err" ] || fail "$1: unexpected stderr"
}
# The lint options every test uses: only the test pack, so the built-in
# pack's evolution does not change these results.
LINT="--no-default-rules --rules $PACK"
