#!/bin/sh
# With worker threads, a document that is done but waits for its turn to be
# reported is slimmed to what reporting needs (zl_doc_slim: the input,
# paragraphs, language versions, line index; findings' strings moved along).
# Every reporter must then write exactly what -j 1 writes (which reports the
# full document): inputs of every format (text, Markdown, HTML, DOCX, PDF
# pages), inline suppressions that read the paragraphs (disable-next), the
# source (regions, a fenced comment that is not a directive) and expire,
# external suppressions from .zanlint, and --include-suppressed.
. tests/cli/lib/common.sh

FX=$ROOT/tests/fixtures
C=$TMP/batch
mkdir -p "$C"
# the first input is the slowest (a long PDF), so the others wait behind it
cp "$FX/pdf/seed-003.pdf" "$C/a-first.pdf"
for i in 0 1 2 3 4; do
    cp "$FX/seeds/00${i}_"*.txt "$C/s$i.txt"
    cp "$FX/docx/seed-00$i.docx" "$C/d$i.docx"
    cp "$FX/html/seed00$i.html" "$C/h$i.html"
    cp "$FX/pdf/seed-00$i.pdf" "$C/p$i.pdf"
done
cp "$FX/html/kk_table.html" "$FX/html/cp1251.html" "$C/"
seed3=$(ls "$FX"/seeds/003_*.txt)
{
    printf '# Политика\n\n'
    sed -n '1,50p' "$seed3"
    printf '\n<!-- zanlint-disable-next kz94v.* -- reviewed by legal, LEG-7 -->\n'
    sed -n '51p' "$seed3"
    sed -n '52,56p' "$seed3"
    printf '\n<!-- zanlint-disable-next kz94v.* until 2020-01-01 -- old text, expired -->\n'
    sed -n '57p' "$seed3"
    printf '\n<!-- zanlint-disable kz94v.data-categories.* -- vendor list, reviewed -->\n\n'
    printf '```\n<!-- zanlint-enable -->\n```\n\n'
    sed -n '58,70p' "$seed3"
    printf '\n<!-- zanlint-enable kz94v.data-categories.* -->\n\n'
    sed -n '71,$p' "$seed3"
} >"$C/m-suppressed.md"
cat >"$C/.zanlint" <<'CFG'
[path:h1.html]
suppress = kz94v.* -- vendor template, reviewed
CFG

formats="json sarif junit csv html jsonl github gitlab"
run() { # JOBS
    outs=""
    for f in $formats; do
        outs="$outs --format $f --output $TMP/j$1.$f"
    done
    # shellcheck disable=SC2086
    ( cd "$C" && ${TEST_WRAP:-} "$ZANLINT" --as-of 2026-11-22 -j "$1" --include-suppressed \
        --format text $outs . >"$TMP/j$1.text" 2>"$TMP/j$1.err" )
    echo $? >"$TMP/j$1.rc"
}
run 1
grep -q '"rule": "kz94v\.' "$TMP/j1.json" || fail "no findings at all"
grep -q '"kind": "inSource"' "$TMP/j1.json" || fail "no inline suppression applied"
grep -q '"kind": "external"' "$TMP/j1.json" || fail "no .zanlint suppression applied"
grep -q '"page": ' "$TMP/j1.json" || fail "no PDF page positions"
grep -q '2020-01-01: old text, expired' "$TMP/j1.json" || fail "no expired suppression"
for j in 2 8; do
    run $j
    for f in $formats text err rc; do
        cmp -s "$TMP/j1.$f" "$TMP/j$j.$f" || fail "-j $j: $f differs from -j 1"
    done
done
exit 0
