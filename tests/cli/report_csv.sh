#!/bin/sh
# --format csv: parsed with Python's csv module - UTF-8 BOM, CRLF line ends,
# as many cells in every row as in the header, a file name with a comma and
# a quote quoted (RFC 4180), a formula-like name guarded; the matrix equals
# the JSON output of the same run for the five seeds (a rule is fail for a
# document iff the JSON has a finding of that rule for that document), an
# unreadable input is a row with status unreadable and its error; output is
# byte-identical across runs.
. tests/cli/lib/common.sh

SEEDS=$(ls "$ROOT"/tests/fixtures/seeds/*.txt)
ASOF="--as-of 2026-11-22"
mkdir "$TMP/in"
cp $SEEDS "$TMP/in/"
ODD='a, "quoted" name.txt'
cp "$(echo "$SEEDS" | head -n 1)" "$TMP/in/$ODD"
cp "$(echo "$SEEDS" | head -n 1)" "$TMP/in/=cmd.txt"
# a suppression comment without a reason: a zanlint.* finding, whose rule
# gets a column so the row does not read as all passed
{
    printf '<!-- zanlint-disable kz94v.localization -->\n'
    cat "$(echo "$SEEDS" | head -n 1)"
} >"$TMP/in/noreason.md"
cd "$TMP/in" || fail "cd"

# shellcheck disable=SC2086
zl $ASOF --format csv --output a.csv --format json --output run.json ./0*.txt "./$ODD" =cmd.txt noreason.md missing.txt
expect_rc 2 "csv run with an unreadable input"
# shellcheck disable=SC2086
zl $ASOF --format csv ./0*.txt "./$ODD" =cmd.txt noreason.md missing.txt
cmp -s a.csv "$TMP/out" || fail "CSV differs between two runs (or between --output and stdout)"

python3 - a.csv run.json "./$ODD" <<'PY' || fail "CSV content"
import csv, io, json, sys
raw = open(sys.argv[1], "rb").read()
run = json.load(open(sys.argv[2], encoding="utf-8"))
odd = sys.argv[3]
def die(msg):
    print("FAIL:", msg); sys.exit(1)
if not raw.startswith(b"\xef\xbb\xbf"):
    die("no UTF-8 BOM")
text = raw[3:].decode("utf-8")
if not text.endswith("\r\n") or "\n" in text.replace("\r\n", ""):
    die("line ends are not CRLF")
# the odd name must be quoted with its quotes doubled, exactly as RFC 4180 says
if '"./a, ""quoted"" name.txt",' not in text:
    die("file name with a comma and quotes not quoted per RFC 4180")
rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
header, body = rows[0], rows[1:]
fixed = ["path", "languages", "status", "errors", "warnings", "infos", "read_error"]
if header[:7] != fixed:
    die("header starts %r" % header[:7])
rules = header[7:]
pack = [r for r in rules if r.startswith("kz94v.")]
if len(pack) < 30 or pack != sorted(pack) or rules != pack + ["zanlint.suppression-missing-reason"]:
    die("rule columns (the pack's, then the failed meta rule): %r" % rules)
for i, r in enumerate(body):
    if len(r) != len(header):
        die("row %d has %d cells, header %d" % (i + 1, len(r), len(header)))
files = run["files"]
unguard = lambda p: p[1:] if p[:2] == "'=" else p
if [unguard(r[0]) for r in body] != [f["path"] for f in files]:
    die("rows are not the inputs in order: %r" % [r[0] for r in body])
checked = 0
for r, f in zip(body, files):
    cells = dict(zip(header, r))
    if f["error"]:
        if cells["status"] != "unreadable" or cells["read_error"] != f["error"]:
            die("unreadable row: %r" % r)
        if any(cells[x] for x in rules) or any(cells[x] for x in ("errors", "warnings", "infos")):
            die("unreadable row has values: %r" % r)
        continue
    live = [x for x in f["findings"] if "suppressed" not in x]
    failing = {x["rule"] for x in live}
    if failing - set(rules):
        die("%s: findings of rules without a column: %r" % (f["path"], sorted(failing - set(rules))))
    for rule in rules:
        want_fail = rule in failing
        v = cells[rule]
        if v not in ("pass", "fail", "n/a", "suppressed"):
            die("%s %s: value %r" % (f["path"], rule, v))
        if (v == "fail") != want_fail:
            die("%s %s: CSV %r, JSON %s" % (f["path"], rule, v, "finding" if want_fail else "no finding"))
        checked += 1
    for sev, col in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        n = sum(x["severity"] == sev for x in live)
        if cells[col] != str(n):
            die("%s: %s %r, JSON %d" % (f["path"], col, cells[col], n))
    if cells["status"] != ("findings" if live else "ok"):
        die("%s: status %r" % (f["path"], cells["status"]))
    if cells["languages"] != " ".join(f["languages"]) and sorted(cells["languages"].split()) != sorted(f["languages"]):
        die("%s: languages %r vs %r" % (f["path"], cells["languages"], f["languages"]))
    if cells["read_error"]:
        die("%s: read_error set" % f["path"])
if not any(f["error"] for f in files) or checked < 5 * len(rules):
    die("too little compared (%d cells)" % checked)
# a file name that a spreadsheet would evaluate is guarded by an apostrophe
if not any(r[0] == "'=cmd.txt" for r in body):
    die("formula-like file name not guarded: %r" % [r[0] for r in body])
# every seed has at least one fail and one pass: the comparison is not vacuous
seeds = [r for r in body if "_" in r[0] and r[2] != "unreadable"]
if len(seeds) < 5 or not all("fail" in r and "pass" in r for r in seeds):
    die("seed rows lack fail/pass values")
print("report_csv: %d cells compared" % checked)
PY

# A file name that is not UTF-8 (a Latin-1 file system) keeps the file UTF-8:
# its ill-formed bytes become U+FFFD.
cp "$ROOT/tests/fixtures/seeds/004_53eae54461e654f3.txt" "$(printf 'l\377t.txt')"
zl $ASOF --format csv "$(printf 'l\377t.txt')"
expect_rc 1 "csv run over a non-UTF-8 file name"
python3 - "$TMP/out" <<'PY' || fail "CSV with a non-UTF-8 file name"
import csv, io, sys
raw = open(sys.argv[1], "rb").read()
rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
assert rows[1][0] == "l\ufffdt.txt", rows[1][0]
PY
echo "report_csv: non-UTF-8 file name ok"
