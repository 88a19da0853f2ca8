#!/bin/sh
# The Makefile on a copy of the build directory (timestamps kept): after a
# build nothing is out of date (make -q), and a deleted generated file -
# the pack image, the embedded rules, a test object - is made again with
# everything that depends on it, and nothing else.  Dry runs (make -n), after
# one make in the copy that does nothing unless a source changed since the
# build (another change landing while the suite runs).
. tests/cli/lib/common.sh
command -v make >/dev/null 2>&1 || { echo "make_rebuild: skipped: no make"; exit 0; }
: "${BUILD:=build}"
[ -f "$BUILD/libzanlint.a" ] || { echo "make_rebuild: skipped: $BUILD not built"; exit 0; }
B=$TMP/b
mkdir "$B"
for e in "$BUILD"/*; do
    case ${e##*/} in asan | valgrind | test-logs | fuzz) continue ;; esac
    cp -pR "$e" "$B/" || fail "copying $e"
done
unit=$(cd "$B/tests" && ls test_*.o | head -n 1)
unit=${unit%.o}
[ -n "$unit" ] || fail "no unit test object in $BUILD/tests"
targets="all $B/tests/$unit"

mk() { # ARGS: make in the repository with the copy as the build directory
    make --no-print-directory BUILD="$B" "$@" >"$TMP/make.out" 2>&1
}
if ! mk $targets; then
    # only when a source changed since the build, and the build's flags
    # (make asan) are not those of a plain make
    tail -n 5 "$TMP/make.out"
    echo "make_rebuild: skipped: sources changed since $BUILD was built"
    exit 0
fi
mk -q $targets || { cat "$TMP/make.out" >&2; fail "make -q: something is out of date after a make"; }

# the pack image: generated again, compiled, the binary linked; nothing else
cp -p "$B/gen/pack_image.c" "$TMP/pack_image.c"
rm "$B/gen/pack_image.c"
mk -q $targets && fail "make -q: up to date without gen/pack_image.c"
mk -n $targets || fail "make -n without gen/pack_image.c"
grep -q "pack-image c > $B/gen/pack_image.c" "$TMP/make.out" || fail "pack_image.c not generated again"
grep -q -- "-c $B/gen/pack_image.c -o $B/gen/pack_image.o" "$TMP/make.out" ||
    fail "pack_image.o not compiled again"
grep -q -- "-o $B/zanlint " "$TMP/make.out" || fail "zanlint not linked again"
! grep -q "src/util/" "$TMP/make.out" || fail "library sources compiled again"
! grep -q -- "-o $B/tests/$unit " "$TMP/make.out" || fail "$unit linked again"

# the embedded rules: the library and everything linking it
cp -p "$TMP/pack_image.c" "$B/gen/pack_image.c"
mk -q $targets || { cat "$TMP/make.out" >&2; fail "make -q: out of date with pack_image.c back"; }
cp -p "$B/gen/embedded_rules.c" "$TMP/embedded_rules.c"
rm "$B/gen/embedded_rules.c"
mk -n $targets || fail "make -n without gen/embedded_rules.c"
grep -q "embed .* > $B/gen/embedded_rules.c" "$TMP/make.out" || fail "embedded_rules.c not generated again"
grep -q "ar rcs $B/libzanlint.a" "$TMP/make.out" || fail "library not archived again"
grep -q -- "-o $B/tests/$unit " "$TMP/make.out" || fail "$unit not linked again"
grep -q -- "-o $B/zanlint " "$TMP/make.out" || fail "zanlint not linked again"
! grep -q -- "-c src/util/" "$TMP/make.out" || fail "library sources compiled again"

# a unit test's object (made by a pattern rule)
cp -p "$TMP/embedded_rules.c" "$B/gen/embedded_rules.c"
rm "$B/tests/$unit.o"
mk -q "$B/tests/$unit" && fail "make -q: up to date without $unit.o"
mk -n "$B/tests/$unit" || fail "make -n without $unit.o"
grep -q -- "-c tests/unit/$unit.c -o $B/tests/$unit.o" "$TMP/make.out" || fail "$unit.o not compiled again"
echo "make_rebuild: ok"
