#!/bin/sh
# The built-in kz94v pack on the five seed policies against the lawyer's
# labels in tests/fixtures/seeds/expected.tsv (a copy of shared/seeds/expected.tsv).
#
# For every `fire` label the rule must report at least one finding on the file;
# for every `-` label it must report none; `?` is not checked.  A labelled rule
# that the loaded pack does not contain is a mismatch too, so the test cannot
# pass by leaving rules out.  Prints each mismatch; exits 1 if there is any.
#
#   ZANLINT=build/zanlint sh tests/cli/seeds_expected.sh     (from the repo root)
set -u
: "${ZANLINT:?set ZANLINT to the zanlint binary}"
case $ZANLINT in /*) ;; *) ZANLINT=$PWD/$ZANLINT ;; esac
SEEDS=${SEEDS:-tests/fixtures/seeds}
EXPECTED=$SEEDS/expected.tsv
AS_OF=2026-11-22

TMP=$(mktemp -d "${TMPDIR:-/tmp}/zanlint-seeds.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

[ -f "$EXPECTED" ] || { echo "FAIL: $EXPECTED not found" >&2; exit 1; }

# The ids of the loaded pack.
# shellcheck disable=SC2086
if ! ${TEST_WRAP:-} "$ZANLINT" rules --format json >"$TMP/rules.json" 2>"$TMP/err"; then
    echo "FAIL: zanlint rules --format json failed:" >&2
    cat "$TMP/err" >&2
    exit 1
fi
grep -o '"id": *"[^"]*"' "$TMP/rules.json" | sed 's/^"id": *"//; s/"$//' | sort -u >"$TMP/ids"
[ -s "$TMP/ids" ] || { echo "FAIL: no rules loaded" >&2; exit 1; }

# The rules reported on each labelled seed: lines "FILE<TAB>RULE".
: >"$TMP/fired"
errors=0
# shellcheck disable=SC2013
for f in $(grep -v '^#' "$EXPECTED" | cut -f1 | sort -u); do
    if [ ! -f "$SEEDS/$f" ]; then
        echo "MISSING: $SEEDS/$f (labelled in expected.tsv)"
        errors=$((errors + 1))
        continue
    fi
    # shellcheck disable=SC2086
    ${TEST_WRAP:-} "$ZANLINT" --as-of "$AS_OF" --format json --fail-on never "$SEEDS/$f" \
        >"$TMP/out.json" 2>"$TMP/err"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "ERROR: zanlint exited $rc on $f:"
        head -n 20 "$TMP/err"
        errors=$((errors + 1))
        continue
    fi
    grep -o '"rule": *"[^"]*"' "$TMP/out.json" | sed 's/^"rule": *"//; s/"$//' | sort -u |
        sed "s|^|$f	|" >>"$TMP/fired"
done

awk -F '\t' -v errors="$errors" '
    FILENAME == ARGV[1] { known[$1] = 1; next }
    FILENAME == ARGV[2] { fired[$1 SUBSEP $2] = 1; next }
    /^#/ || NF < 3 { next }
    {
        file = $1; rule = $2; label = $3
        if (label != "fire" && label != "-") next
        checked++
        if (!(rule in known)) {
            print "NOT IN PACK: " rule " (" file ": expected " label ")"
            bad++
            next
        }
        got = ((file SUBSEP rule) in fired)
        if (label == "fire" && !got) { print "MISSED:     " file "  " rule "  (expected: fire)"; bad++ }
        if (label == "-" && got)     { print "UNEXPECTED: " file "  " rule "  (expected: -)"; bad++ }
    }
    END {
        bad += errors
        printf "seeds_expected: %d labels checked, %d mismatches\n", checked, bad
        exit bad ? 1 : 0
    }
' "$TMP/ids" "$TMP/fired" "$EXPECTED"
