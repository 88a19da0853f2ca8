#!/bin/sh
# `jobs = N` in .zanlint: the number of documents linted at a time, as -j
# (which beats it); top level only; 0, a non-number or more than 1024 is an
# error with the file and line (exit 2).  The worker threads are counted
# with strace when it works here.
. tests/cli/lib/common.sh
mkdir -p "$TMP/proj/docs"
printf 'Мы продаем персональные данные партнерам.\n' >"$TMP/proj/docs/a.txt"
printf 'Мы используем cookie.\n' >"$TMP/proj/docs/b.txt"
printf 'Данные хранятся в Казахстане.\n' >"$TMP/proj/docs/c.txt"
cd "$TMP/proj" || exit 1

printf '# settings\njobs = 3\n' >.zanlint
zl $LINT --format json docs
[ "$rc" -le 1 ] || fail "jobs = 3 accepted: exit $rc"
expect_empty_err "jobs = 3"
cp "$TMP/out" "$TMP/j3.json"
zl $LINT --no-config -j 1 --format json docs
cmp -s "$TMP/out" "$TMP/j3.json" || fail "jobs = 3: output differs from -j 1"

# the number of threads started: the file's N, or -j's (beyond those of a
# -j 1 run, which starts none of its own; a sanitizer may start one)
threads() { # ARGS: prints the number of threads the run started
    strace -f -qq -e trace=clone,clone3 -o "$TMP/strace" "$ZANLINT" "$@" >/dev/null 2>&1
    echo $(($(grep -c 'clone' "$TMP/strace") - base))
}
if strace -f -qq -o /dev/null true 2>/dev/null; then
    base=0
    base=$(threads $LINT -j 1 docs)
    n=$(threads $LINT docs)
    [ "$n" -eq 3 ] || fail "jobs = 3: $n threads started"
    n=$(threads $LINT -j 2 docs)
    [ "$n" -eq 2 ] || fail "-j 2 beats jobs = 3: $n threads started"
    printf 'jobs = 1\n' >.zanlint
    n=$(threads $LINT docs)
    [ "$n" -eq 0 ] || fail "jobs = 1: $n threads started"
else
    echo "strace does not work here: thread counts not checked"
fi

# errors, with the file and line
for v in 0 two -1 3x 1025 ' 2 2'; do
    printf 'lang = en\njobs = %s\n' "$v" >.zanlint
    zl $LINT docs
    expect_rc 2 "jobs = '$v'"
    grep -q "^zanlint: \.zanlint:2: error: invalid value '.*' for 'jobs'" "$TMP/err" ||
        fail "jobs = '$v': message"
    expect_no_out "a.txt" "jobs = '$v': nothing linted"
done
printf 'jobs = 2\njobs = 3\n' >.zanlint
zl $LINT docs
expect_rc 2 "duplicate jobs"
expect_err "zanlint: .zanlint:2: error: duplicate key 'jobs' (first set at line 1)" "duplicate"
printf '[path:docs/*]\njobs = 2\n' >.zanlint
zl $LINT docs
expect_rc 2 "jobs in a section"
expect_err "zanlint: .zanlint:2: error: 'jobs' is a top-level key" "jobs in a section"
exit 0
