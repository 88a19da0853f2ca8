#!/bin/sh
# --format html: one self-contained page (no external resource, a CSP that
# forbids the network), byte-identical across runs, --lang switches the UI
# labels and messages, every document string escaped; then the page in
# headless Chromium (tests/browser/run-dom-check.py + dom-check.js): matrix
# cells = the JSON findings of the same run for the five seeds, a hostile
# file name/excerpt, a broken suppression comment and an unreadable input; filters, sorting, no console
# error.  Without Chromium the browser part is skipped, except in CI
# (CI=true), where it fails.
. tests/cli/lib/common.sh

SEEDS=$(ls "$ROOT"/tests/fixtures/seeds/*.txt)
ASOF="--as-of 2026-11-22"
mkdir "$TMP/in"
cp $SEEDS "$TMP/in/"
EVIL='evil,"<img src=x onerror=window.__zlPwned=1>.txt'
EVILTEXT='<script>window.__zlPwned=1</script>'
printf 'Политика конфиденциальности\n\nМы передаём персональные данные <b>любым третьим лицам</b>%s без ограничений.\n' \
    "$EVILTEXT" >"$TMP/in/$EVIL"
# a suppression comment without a reason: its zanlint.* rule gets a column
{
    printf '<!-- zanlint-disable kz94v.localization -->\n'
    cat "$(echo "$SEEDS" | head -n 1)"
} >"$TMP/in/noreason.md"
cd "$TMP/in" || fail "cd"

# shellcheck disable=SC2086
zl $ASOF --format html --output a.html --format json --output run.json ./*.txt noreason.md missing.txt
expect_rc 2 "html run with an unreadable input"
# shellcheck disable=SC2086
zl $ASOF --format html ./*.txt noreason.md missing.txt
cmp -s a.html "$TMP/out" || fail "HTML differs between two runs (or between --output and stdout)"

grep -q '^<!DOCTYPE html>' a.html || fail "no doctype"
grep -q "Content-Security-Policy\" content=\"default-src 'none'" a.html || fail "no CSP"
# self-contained: no URL to fetch anything (the only href/src are #anchors)
if grep -Eo '(src|href)="[^#"][^"]*"|url\(|@import|https?://' a.html | grep -q .; then
    fail "external reference in the report: $(grep -Eo '(src|href)="[^#"][^"]*"|url\(|@import|https?://' a.html | head -3)"
fi
# escaping: the hostile name and excerpt appear only escaped
grep -q '<img' a.html && fail "unescaped <img> from a file name"
[ "$(grep -c '<script' a.html)" -eq 1 ] || fail "more than the report's own <script>"
grep -qF 'evil,&quot;&lt;img src=x onerror=window.__zlPwned=1&gt;.txt' a.html || fail "escaped file name missing"
grep -qF '&lt;script&gt;window.__zlPwned=1&lt;/script&gt;' a.html || fail "escaped excerpt missing"
grep -qF 'любым третьим лицам</mark>&lt;/b&gt;' a.html || fail "excerpt span not in <mark>"
grep -qF 'missing.txt</code>: <span class="err">' a.html || fail "unreadable input not listed"
grep -qF 'По состоянию на</dt><dd>2026-11-22' a.html || fail "as-of date missing"
grep -qF '<b>8</b>документов' a.html || fail "document total"
# a bilingual document's findings say which version they concern; others carry no tag
want=$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(len(f["findings"]) for f in r["files"] if len(f["languages"]) > 1))' run.json)
[ "$want" -gt 0 ] || fail "no bilingual seed among the inputs"
[ "$(grep -o '<span class="vl" title="Язык">\(kk\|ru\)</span>' a.html | wc -l)" -eq "$want" ] ||
    fail "language tags on the findings of bilingual documents"

# the footer's "failed" cell counts documents with a failed cell (as its
# label says), not failed cells
failing=$(python3 -c 'import json, sys
run = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(any("suppressed" not in x for x in f["findings"]) for f in run["files"]))' run.json)
grep -qF "Документов с нарушением</th><td></td><td class=\"cnt\">$failing</td>" a.html ||
    fail "matrix footer: not the $failing documents failing"

# excerpts: a span over two PDF lines is shown whole, both lines in <mark>
# (kz94v.consent.implied, lines 14-15: the words that make the consent implied
# are on line 15)
zl --no-config --format html "$ROOT/tests/fixtures/pdf/seed-002.pdf"
tr '\n' '~' <"$TMP/out" | grep -qF '<mark>начиная использовать перечисленные продукты~Вы подтверждаете свое согласие</mark>' ||
    fail "a span over two lines is cut at the end of the first"
# ... and an indented line's excerpt starts without "…": nothing was cut
printf '\t1. Общие положения\nТекст.\n' >indented.txt
zl --no-config --format html indented.txt
grep -qF '<blockquote class="ex"><mark>1. Общие положения</mark></blockquote>' "$TMP/out" ||
    fail "excerpt of an indented line: spurious ellipsis or none"

# --lang: UI labels and messages
for l in en kk; do
    # shellcheck disable=SC2086
    zl $ASOF --lang $l --format html ./*.txt
    expect_rc 1 "html --lang $l"
    cp "$TMP/out" "$l.html"
done
grep -q '<html lang="en">' en.html || fail "lang=en attribute"
grep -qF 'Requirements matrix' en.html || fail "English UI label"
grep -qF 'Suggested wording' en.html || fail "English suggestion label"
grep -qF 'Матрица' en.html && fail "Russian label in the English report"
grep -qF 'Талаптар матрицасы' kk.html || fail "Kazakh UI label"
# wording: section titles that do not name a severity level, one Kazakh name
# for the info level, "… жағдай бойынша" for the as-of date
grep -qF 'Непрочитанные документы' a.html || fail "ru: unreadable inputs title"
grep -qF '<h2>Результаты по документам</h2>' a.html || fail "ru: cards title"
grep -qF '<h2>Құжаттар бойынша нәтижелер</h2>' kk.html || fail "kk: cards title"
grep -qF 'Жағдай бойынша</dt>' kk.html || fail "kk: as-of label"
grep -qF 'ақпараттық ескертпе' kk.html && fail "kk: a second name for the info level"
zl --no-config --lang kk --format html "$ROOT/tests/fixtures/docx/seed-000.docx"
grep -qF '<span class="loc">азат жол ' "$TMP/out" || fail "kk: DOCX location not 'азат жол N:col'"
# a document with only info findings gets a neutral badge, not "has findings"
printf 'Мы обрабатываем данные с вашего согласия. Мы используем cookie.\n' >info-only.txt
# shellcheck disable=SC2086
zl $LINT --format html info-only.txt
grep -qF '<article class="card st-notes"' "$TMP/out" || fail "info-only document: card not marked notes"
grep -qF '<span class="badge">есть замечания</span>' "$TMP/out" || fail "info-only document: badge"

# every count label agrees with its number: ru one/few/many (1, 21 документ;
# 2-4, 22-24 документа; 0, 5-20, 25 документов), kk the singular, en one/other
python3 - a.html en.html kk.html <<'PY' || fail "a count label in the wrong plural form"
import re, sys
FORMS = {
    "ru": [("документ", "документа", "документов"), ("ошибка", "ошибки", "ошибок"),
           ("предупреждение", "предупреждения", "предупреждений"),
           ("замечание", "замечания", "замечаний")],
    "en": [("document", "documents"), ("error", "errors"), ("warning", "warnings"),
           ("info", "infos")],
}
def form(lang, forms, n):
    if lang == "en":
        return forms[0] if n == 1 else forms[1]
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]
bad, seen = [], set()
for path, lang in zip(sys.argv[1:], ("ru", "en", "kk")):
    page = open(path, encoding="utf-8").read()
    counts = re.findall(r'<li class="t-(?:docs|error|warning|info)"><b>(\d+)</b>([^<]+)</li>', page)
    for meta in re.findall(r'<p class="meta">[^:]*: [^\xb7]*\xb7 ([^<]*)</p>', page):
        counts += [tuple(c.split(" ", 1)) for c in meta.split(" \xb7 ")]
    if len(counts) < 4:
        bad.append("%s: no count labels found" % path)
    for n, word in counts:
        if not n.isdigit():
            bad.append("%s: not a number first: %s %s" % (path, n, word))
            continue
        n = int(n)
        if lang == "kk":
            ok = word in ("құжат", "қате", "ескерту", "ақпарат")
        else:
            group = [f for f in FORMS[lang] if word in f]
            ok = bool(group) and word == form(lang, group[0], n)
            seen.add((lang, group[0].index(word) if group else -1))
        if not ok:
            bad.append("%s: %d %s" % (path, n, word))
if not {("ru", 0), ("ru", 1), ("ru", 2), ("en", 0), ("en", 1)} <= seen:
    bad.append("not every plural form occurs: %s" % sorted(seen))
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# why a document was not read: the reason in --lang, then the tool's English
# words (every kind of unreadable input a folder of policies really holds)
mkdir "$TMP/bad"
printf '' >"$TMP/bad/empty.txt"
printf '\320\317\021\340\241\261\032\341old word' >"$TMP/bad/old.doc"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("a.txt", "x")' \
    "$TMP/bad/broken.docx" || fail "python3 zipfile"
printf 'text\000\001\002 binary' >"$TMP/bad/blob.txt"
reasons() { # LANG EMPTY DOC DOCX BINARY MISSING
    zl --lang "$1" --format html "$TMP/bad" "$TMP/bad/missing.txt"
    expect_rc 2 "html --lang $1 with unreadable inputs"
    [ "$(grep -c '<li id="failed-' "$TMP/out")" -eq 5 ] || fail "--lang $1: not 5 unreadable inputs"
    shift
    for name in empty.txt old.doc broken.docx blob.txt missing.txt; do
        grep -F "$name</code>" "$TMP/out" | grep -qF "<span class=\"err\">$1</span> <span class=\"detail\" lang=\"en\">" ||
            fail "--lang: $name lacks the reason '$1' with the English detail"
        shift
    done
}
reasons ru 'файл пуст' 'zanlint не читает этот формат: сохраните документ как DOCX или PDF' \
    'файл повреждён или его вариант формата не поддерживается' 'двоичный файл, а не текст' \
    'файл не открывается'
reasons kk 'файл бос' 'zanlint бұл пішімді оқымайды: құжатты DOCX немесе PDF ретінде сақтаңыз' \
    'файл бүлінген немесе оның пішімінің бұл түріне қолдау жоқ' 'бұл мәтін емес, бинарлық файл' \
    'файл ашылмайды'
zl --lang en --format html "$TMP/bad"
grep -qF '<span class="err">a Word 97-2003 document, not a format zanlint reads' "$TMP/out" ||
    fail "--lang en: the reason is the tool's message"
grep -qF 'class="detail"' "$TMP/out" && fail "--lang en: the English message twice"

CHROMIUM=
for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c; break; fi
done
if [ -z "$CHROMIUM" ]; then
    if [ "${CI:-}" = true ]; then
        fail "chromium is not installed (CI=true): run scripts/install-deps"
    fi
    echo "report_html: browser checks skipped: chromium not installed (scripts/install-deps installs it)"
    exit 0
fi
python3 "$ROOT/tests/browser/run-dom-check.py" "$CHROMIUM" a.html run.json "$TMP" \
    --evil "./$EVIL" "$EVILTEXT" >dom.log 2>&1 || { cat dom.log >&2; fail "DOM checks in $CHROMIUM"; }
cat dom.log
# negative control: the same checks against a JSON with one finding less fail
python3 - run.json bad.json <<'PY'
import json, sys
run = json.load(open(sys.argv[1], encoding="utf-8"))
for f in run["files"]:
    if f["findings"]:
        rule = f["findings"][0]["rule"]
        f["findings"] = [x for x in f["findings"] if x["rule"] != rule]
        break
json.dump(run, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
if python3 "$ROOT/tests/browser/run-dom-check.py" "$CHROMIUM" a.html bad.json "$TMP" >bad.log 2>&1; then
    fail "DOM checks passed against a JSON lacking a finding"
fi
grep -q 'failed rules = JSON findings' bad.log || { cat bad.log >&2; fail "negative control failed for another reason"; }
echo "report_html: ok"
