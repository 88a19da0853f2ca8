#!/bin/sh
# The built-in pack loaded from its build-time image (a plain run) gives the
# same output as the pack compiled from the rule files (forced here by an
# extra, empty --rules file): rules in every format, explain, and the
# findings of a few seeds in every format.
. tests/cli/lib/common.sh

printf '# no rules\n' >"$TMP/empty.rules"
SEEDS=$(ls "$ROOT"/tests/fixtures/seeds/*.txt | head -n 4)

same() { # WHAT ARGS...: image run vs source run, stdout, stderr and status
    _what=$1
    shift
    zl --no-config "$@"
    mv "$TMP/out" "$TMP/img.out"
    mv "$TMP/err" "$TMP/img.err"
    _rc=$rc
    [ -s "$TMP/img.out" ] || fail "$_what: no output"
    zl --no-config --rules "$TMP/empty.rules" "$@"
    [ "$rc" -eq "$_rc" ] || fail "$_what: exit $_rc from the image, $rc from source"
    cmp -s "$TMP/img.out" "$TMP/out" || fail "$_what: stdout differs from the source-compiled pack"
    cmp -s "$TMP/img.err" "$TMP/err" || fail "$_what: stderr differs from the source-compiled pack"
}

for f in text json markdown; do
    same "rules --format $f" rules --format "$f"
done
same "rules --lang kk --disable" rules --lang kk --disable kz94v.access.fee
same "explain" explain kz94v.access.fee
same "explain --lang en" explain --lang en kz94v.automated-decisions.objection
# shellcheck disable=SC2086
for f in text json sarif junit csv; do
    same "lint --format $f" --as-of 2026-11-22 --format "$f" $SEEDS
done
# shellcheck disable=SC2086
same "lint --disable" --as-of 2026-11-22 --disable 'kz94v.consent.*' --format json $SEEDS
exit 0
