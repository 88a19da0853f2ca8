#!/bin/sh
# Golden end-to-end cases: tests/golden/cli/<case>/ holds
#   input.txt or input.md   the document
#   args                    extra options, one line (optional)
#   rules/*.rules           the case's own pack (run with --no-default-rules,
#                           so changes to the built-in pack do not churn these)
#   expected.json           stdout of --format json
#   expected.text           stdout of --format text --color never
#   expected.exit           the exit status (both runs must agree)
# Runs in the case directory so paths in the outputs are relative.
# UPDATE=1 rewrites the expected files from the current binary.
. tests/cli/lib/common.sh

cases=0
for dir in tests/golden/cli/*/; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir")
    input=
    for f in input.txt input.md; do
        [ -f "$dir$f" ] && input=$f
    done
    [ -n "$input" ] || fail "$name: no input.txt or input.md"
    args=
    [ -f "${dir}args" ] && args=$(cat "${dir}args")
    pack=
    [ -d "${dir}rules" ] && pack="--no-default-rules --rules rules"
    # shellcheck disable=SC2086
    (cd "$dir" && ${TEST_WRAP:-} "$ZANLINT" $pack $args --format json "$input") \
        >"$TMP/json" 2>"$TMP/json.err"
    rc_json=$?
    # shellcheck disable=SC2086
    (cd "$dir" && ${TEST_WRAP:-} "$ZANLINT" $pack $args --format text --color never "$input") \
        >"$TMP/text" 2>"$TMP/text.err"
    rc_text=$?
    [ "$rc_json" -eq "$rc_text" ] || fail "$name: exit $rc_json with json, $rc_text with text"
    echo "$rc_json" >"$TMP/exit"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$TMP/json" "${dir}expected.json"
        cp "$TMP/text" "${dir}expected.text"
        cp "$TMP/exit" "${dir}expected.exit"
        echo "updated $name"
    else
        for k in json text exit; do
            [ -f "${dir}expected.$k" ] || fail "$name: expected.$k is missing (run with UPDATE=1)"
            if ! cmp -s "${dir}expected.$k" "$TMP/$k"; then
                diff -u "${dir}expected.$k" "$TMP/$k" | head -n 60 >&2
                echo "--- stderr:" >&2
                cat "$TMP/$k.err" 2>/dev/null >&2 || cat "$TMP/json.err" >&2
                fail "$name: output differs from expected.$k (UPDATE=1 to accept)"
            fi
        done
    fi
    cases=$((cases + 1))
done
[ "$cases" -gt 0 ] || fail "no golden cases in tests/golden/cli/"
echo "golden: $cases cases ok"
