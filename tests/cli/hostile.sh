#!/bin/sh
# Hostile and mislabelled inputs, all in one batch with a good policy: each
# bad file gets one clear line "zanlint: PATH: error: ..." and "error" in the
# JSON, the batch exits 2, the good policy is still linted, nothing crashes or
# hangs (every run under `timeout 20`; under ASan a sanitizer report fails the
# exit-status check).  Files read safely instead of refused are checked too:
#   refused (exit 2)     zip bomb DOCX, truncated zip named .docx, truncated
#                        PDF, text named .pdf, text policy named .docx, HTML
#                        nested 100,000 deep (made here, not committed)
#   read, nothing expanded or fetched
#                        DOCX with an external entity and external relationships,
#                        billion-laughs HTML (internal DTD entities: the HTML
#                        parser does not expand them, as browsers do not)
#   read by content      DOCX named .md (read as DOCX), HTML page named .txt
#                        (read as HTML): the extension chooses, the content confirms
. tests/cli/lib/common.sh
FX=$ROOT/tests/fixtures
H=$FX/hostile
GOOD=$(ls "$ROOT"/tests/fixtures/seeds/001_*.txt)

# The hang guard: 20 s, or 600 s under a wrapper such as valgrind (make
# valgrind), which runs the same work ~50 times slower.
LIMIT=20
[ -n "${TEST_WRAP:-}" ] && LIMIT=600
run() { # ARGS: zanlint under timeout $LIMIT; rc 124 = hang
    # shellcheck disable=SC2086
    timeout "$LIMIT" ${TEST_WRAP:-} "$ZANLINT" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" -ne 124 ] || fail "timed out (hang): $*"
}
rules_of() { # JSON for one file -> sorted unique rule ids
    grep -o '"rule": "[^"]*"' "$1" | sort -u
}

# mislabelled and generated inputs
awk 'BEGIN { printf "<!DOCTYPE html><html><body>"; for (i = 0; i < 100000; i++) printf "<div>"
             print "Политика конфиденциальности" }' >"$TMP/deep.html"
cp "$FX/html/seed001.html" "$TMP/page.txt"
cp "$FX/docx/seed-004.docx" "$TMP/policy.md"
cp "$GOOD" "$TMP/policy.docx"
printf 'Политика конфиденциальности\nОператор обрабатывает данные.\n' >"$TMP/text.pdf"

PDF=1
run --as-of 2026-11-22 "$FX/pdf/seed-000.pdf"
grep -q 'built without PDF support' "$TMP/err" && PDF=0

# --- one batch ---
run --as-of 2026-11-22 --format json --fail-on never \
    "$FX/docx/bomb.docx" "$H/truncated.docx" "$H/truncated.pdf" "$TMP/text.pdf" \
    "$TMP/policy.docx" "$TMP/deep.html" "$FX/docx/external.docx" "$H/billion-laughs.html" \
    "$TMP/policy.md" "$TMP/page.txt" "$GOOD"
expect_rc 2 "batch with hostile inputs"
cp "$TMP/out" "$TMP/batch.json"
cp "$TMP/err" "$TMP/batch.err"
# exactly the refused files, one line each, in the documented form
[ "$(wc -l <"$TMP/batch.err")" -eq 6 ] || fail "expected 6 error lines"
! grep -v '^zanlint: [^ ]*: error: ' "$TMP/batch.err" >/dev/null || fail "an error line is not 'zanlint: PATH: error: ...'"
expect_err "zanlint: $FX/docx/bomb.docx: error: DOCX entry word/media/zeros.bin inflates" "zip bomb"
expect_err "zanlint: $H/truncated.docx: error: cannot read: not a DOCX document: not a zip archive" "truncated zip"
expect_err "zanlint: $TMP/policy.docx: error: cannot read: not a DOCX document: not a zip archive" "text named .docx"
expect_err "zanlint: $TMP/deep.html: error: HTML elements nested deeper than 256 levels" "deep HTML"
if [ "$PDF" = 1 ]; then
    expect_err "zanlint: $H/truncated.pdf: error: cannot read: not a readable PDF document" "truncated PDF"
    expect_err "zanlint: $TMP/text.pdf: error: cannot read: not a readable PDF document" "text named .pdf"
else
    expect_err "zanlint: $H/truncated.pdf: error: unsupported input format: PDF" "PDF without poppler"
    expect_err "zanlint: $TMP/text.pdf: error: unsupported input format: PDF" "PDF without poppler"
fi

# per-file JSON: "error" set for the refused ones, null and findings for the rest
file_json() { # PATH -> that file's object on stdout
    awk -v p="\"path\": \"$1\"," '
        index($0, p) { on = 1 }
        on { print }
        on && /^    }/ { exit }' "$TMP/batch.json"
}
for f in "$FX/docx/bomb.docx" "$H/truncated.docx" "$H/truncated.pdf" "$TMP/text.pdf" \
    "$TMP/policy.docx" "$TMP/deep.html"; do
    file_json "$f" >"$TMP/one"
    [ -s "$TMP/one" ] || fail "$f missing from the JSON"
    grep -q '"error": "' "$TMP/one" || fail "$f: no error in the JSON"
    grep -q '"findings": \[\]' "$TMP/one" || fail "$f: findings on a refused file"
done
for f in "$FX/docx/external.docx" "$H/billion-laughs.html" "$TMP/policy.md" "$TMP/page.txt" "$GOOD"; do
    file_json "$f" >"$TMP/one"
    [ -s "$TMP/one" ] || fail "$f missing from the JSON"
    grep -q '"error": null' "$TMP/one" || fail "$f: refused"
done

# the good policy: the same findings as on its own
file_json "$GOOD" | grep -o '"rule": "[^"]*"' | sort >"$TMP/good.batch"
run --as-of 2026-11-22 --format json --fail-on never "$GOOD"
expect_rc 0 "good policy alone"
grep -o '"rule": "[^"]*"' "$TMP/out" | sort >"$TMP/good.alone"
[ -s "$TMP/good.alone" ] || fail "no finding on the good policy"
cmp -s "$TMP/good.batch" "$TMP/good.alone" || fail "the good policy's findings changed in the batch"

# external entity and relationships: no file content, nothing fetched
! grep -q 'root:' "$TMP/batch.json" || fail "/etc/passwd content in the output"
file_json "$FX/docx/external.docx" | grep -q '127.0.0.1' && fail "external target in the text"

# billion laughs: no expansion (the output stays small, no "lollol")
! grep -q 'lollol' "$TMP/batch.json" || fail "billion laughs expanded"
[ "$(wc -c <"$TMP/batch.json")" -lt 400000 ] || fail "output grew: entities expanded?"
run --as-of 2026-11-22 segments "$H/billion-laughs.html"
! grep -q 'lollol' "$TMP/out" || fail "billion laughs expanded in segments"

# DOCX named .md is read as DOCX: same findings, ¶ positions
file_json "$TMP/policy.md" >"$TMP/one"
grep -q '"paragraph": ' "$TMP/one" || fail "DOCX named .md not read as DOCX"
rules_of "$TMP/one" >"$TMP/md.rules"
run --as-of 2026-11-22 --format json --fail-on never "$FX/docx/seed-004.docx"
rules_of "$TMP/out" >"$TMP/docx.rules"
cmp -s "$TMP/md.rules" "$TMP/docx.rules" || fail "DOCX named .md: rules differ from the .docx"
run --as-of 2026-11-22 --fail-on never "$TMP/policy.md"
expect_out "$TMP/policy.md:¶" "DOCX named .md: path:¶N:col"

# HTML named .txt is read as HTML: same rules as the .html, no markup in excerpts
file_json "$TMP/page.txt" >"$TMP/one"
! grep -q '"excerpt": "[^"]*<[a-z/]' "$TMP/one" || fail "HTML named .txt: markup read as text"
rules_of "$TMP/one" >"$TMP/txt.rules"
run --as-of 2026-11-22 --format json --fail-on never "$FX/html/seed001.html"
rules_of "$TMP/out" >"$TMP/html.rules"
cmp -s "$TMP/txt.rules" "$TMP/html.rules" || fail "HTML named .txt: rules differ from the .html"
echo "hostile: ok"
