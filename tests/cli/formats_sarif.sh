#!/bin/sh
# --format sarif: valid against the SARIF 2.1.0 schema (a real JSON-schema
# validator, with a negative control so a validator that accepts anything
# fails the test), rules[] = the active rules with their metadata, ruleIndex
# pointing at the right rule, code-point columns and charOffset on a
# Cyrillic line, exclusive endColumn, fingerprints, percent-encoded relative
# URIs, an unreadable input as a notification, byte-identical across runs.
. tests/cli/lib/common.sh

FMT="--no-default-rules --rules tests/fixtures/rules/formats --as-of 2024-05-01"
FD=tests/cli/data/formats
SCHEMAS=../shared/schemas
mkdir -p "$TMP/д ир"
cp "$FD/sale.txt" "$TMP/д ир/sale 1.txt"

# shellcheck disable=SC2086
zl $FMT --format sarif "$FD/sale.txt" "./$FD/clean.txt" "$TMP/д ир/sale 1.txt" "$TMP/missing.txt"
expect_rc 2 "sarif run with an unreadable input"
cp "$TMP/out" "$TMP/a.sarif"
# shellcheck disable=SC2086
zl $FMT --format sarif "$FD/sale.txt" "./$FD/clean.txt" "$TMP/д ир/sale 1.txt" "$TMP/missing.txt"
cmp -s "$TMP/a.sarif" "$TMP/out" || fail "SARIF differs between two runs"

if [ -d "$SCHEMAS" ] && python3 -c 'import jsonschema' 2>/dev/null; then
    python3 -m jsonschema -i "$TMP/a.sarif" "$SCHEMAS/sarif-schema-2.1.0.json" 2>"$TMP/v" \
        || { cat "$TMP/v" >&2; fail "SARIF is not valid against the schema"; }
    # negative control: a column 0 must be rejected
    sed 's/"startColumn": [0-9]*/"startColumn": 0/' "$TMP/a.sarif" >"$TMP/bad.sarif"
    if python3 -m jsonschema -i "$TMP/bad.sarif" "$SCHEMAS/sarif-schema-2.1.0.json" 2>/dev/null; then
        fail "the validator accepted startColumn 0"
    fi
elif [ ! -d "$SCHEMAS" ]; then
    echo "formats_sarif: skipped: $SCHEMAS not found (schema validation)"
else
    echo "formats_sarif: skipped: python3-jsonschema not installed (run scripts/install-deps)"
fi

python3 - "$TMP/a.sarif" "$FD/sale.txt" "$TMP" <<'PY' || fail "SARIF content"
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
src = open(sys.argv[2], encoding="utf-8").read()
tmp = sys.argv[3]
assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
assert len(log["runs"]) == 1
run = log["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "zanlint" and drv["informationUri"] == "https://github.com/zanlint/zanlint"
assert drv["semanticVersion"] == drv["version"]
assert run["columnKind"] == "unicodeCodePoints"
ids = [r["id"] for r in drv["rules"]]
# fmt.future is not in force on 2024-05-01; the suppression meta rules follow
assert ids[:4] == ["fmt.children", "fmt.consent", "fmt.cookies", "fmt.sale"], ids
assert ids[4:] and all(i.startswith("zanlint.") for i in ids[4:]), ids
sale = drv["rules"][3]
assert sale["name"] == "FmtSale"
assert sale["shortDescription"]["text"] == "Продажа данных"
assert sale["fullDescription"]["text"].startswith("Текст допускает продажу")
assert "ст. 8, п. 1" in sale["help"]["text"] and "Мы не продаем персональные данные." in sale["help"]["text"]
assert "ст. 8, п. 1" in sale["help"]["markdown"] and "> Мы не продаем" in sale["help"]["markdown"]
assert sale["helpUri"].endswith("docs/rules.md#fmt.sale")
assert sale["defaultConfiguration"]["level"] == "error"
assert sale["properties"]["tags"] == ["sale", "third-parties"]
assert sale["properties"]["precision"] == "high"
levels = {r["id"]: (r["defaultConfiguration"]["level"], r["properties"]["precision"]) for r in drv["rules"]}
assert levels["fmt.consent"] == ("warning", "medium") and levels["fmt.cookies"] == ("note", "medium"), levels

res = run["results"]
assert len(res) == 6, len(res)   # 3 per copy of sale.txt, none for clean.txt
lines = src.split("\n")
for r in res:
    assert drv["rules"][r["ruleIndex"]]["id"] == r["ruleId"], r
    assert r["partialFingerprints"]["zanlint/v1"] and len(r["partialFingerprints"]["zanlint/v1"]) == 16
    loc = r["locations"][0]["physicalLocation"]
    reg = loc["region"]
    line = lines[reg["startLine"] - 1]
    # code-point columns, exclusive end, charOffset/charLength in code points
    text = line[reg["startColumn"] - 1:reg["endColumn"] - 1]
    assert reg["snippet"]["text"] == text, (reg, text)
    assert src[reg["charOffset"]:reg["charOffset"] + reg["charLength"]] == text, reg
    assert r["properties"]["lang"] == "ru"
sale_res = [r for r in res if r["ruleId"] == "fmt.sale"][0]
reg = sale_res["locations"][0]["physicalLocation"]["region"]
# "Мы используем cookie и продаем": "продаем" starts at code point 24 (byte 43)
assert (reg["startLine"], reg["startColumn"], reg["endColumn"]) == (3, 24, 31), reg
assert sale_res["level"] == "error" and sale_res["properties"]["article"] == "ст. 8, п. 1"
assert "100% запрещено" in sale_res["message"]["text"]

uris = [a["location"]["uri"] for a in run["artifacts"]]
assert uris[0] == "tests/cli/data/formats/sale.txt" and uris[1] == "tests/cli/data/formats/clean.txt", uris
assert uris[2].startswith("file:///") and uris[2].endswith("/%D0%B4%20%D0%B8%D1%80/sale%201.txt"), uris[2]
for r in res:
    al = r["locations"][0]["physicalLocation"]["artifactLocation"]
    assert run["artifacts"][al["index"]]["location"]["uri"] == al["uri"]
    if not al["uri"].startswith("file:"):
        assert al["uriBaseId"] == "%SRCROOT%"
base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
assert base.startswith("file:///") and base.endswith("/"), base
inv = run["invocations"][0]
assert inv["executionSuccessful"] is False
notes = inv["toolExecutionNotifications"]
assert len(notes) == 1 and notes[0]["level"] == "error"
assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/missing.txt")
PY

# a clean run: executionSuccessful, no results, exit 0
# shellcheck disable=SC2086
zl $FMT --format sarif "$FD/clean.txt"
expect_rc 0 "clean sarif run"
python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert run["results"] == [] and run["invocations"][0]["executionSuccessful"] is True
assert run["invocations"][0]["toolExecutionNotifications"] == []
' "$TMP/out" || fail "clean SARIF run"

# --lang en: rule texts and messages in English, falling back to ru
# shellcheck disable=SC2086
zl $FMT --format sarif --lang en "$FD/sale.txt"
python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
assert rules["fmt.sale"]["shortDescription"]["text"] == "Sale of data"
assert rules["fmt.consent"]["shortDescription"]["text"] == "Согласие"
assert [r["message"]["text"] for r in run["results"] if r["ruleId"] == "fmt.sale"] == \
    ["The text allows selling personal data: 100% forbidden, see art. 8"]
' "$TMP/out" || fail "--lang en in SARIF"
# suppressed findings (--include-suppressed): suppressions[] with kind and
# justification in SARIF, a skipped test case with the reason in JUnit
printf '# Политика\n\n<!-- zanlint-disable-next fmt.sale -- согласовано с юристом -->\nМы продаем данные с согласия.\n' >"$TMP/sup.md"
# shellcheck disable=SC2086
zl $FMT --include-suppressed --format sarif -o "$TMP/sup.sarif" --format junit -o "$TMP/sup.xml" "$TMP/sup.md"
expect_rc 0 "a suppressed error does not fail the run"
python3 - "$TMP/sup.sarif" "$TMP/sup.xml" <<'PY' || fail "suppressed findings in SARIF/JUnit"
import json, sys, xml.etree.ElementTree as ET
run = json.load(open(sys.argv[1], encoding="utf-8"))["runs"][0]
sale = [r for r in run["results"] if r["ruleId"] == "fmt.sale"]
assert len(sale) == 1, run["results"]
assert sale[0]["suppressions"] == [{"kind": "inSource", "justification": "согласовано с юристом"}], sale[0]
assert all("suppressions" not in r for r in run["results"] if r["ruleId"] != "fmt.sale")
s = ET.parse(sys.argv[2]).getroot().find("testsuite")
case = [c for c in s.findall("testcase") if c.get("name") == "fmt.sale"][0]
assert case.find("failure") is None and case.find("skipped").get("message") == "suppressed: согласовано с юристом"
PY
# rules[] lists the rules that are on for at least one input: a rule or a
# zanlint.* meta rule the configuration turns off is not listed, unless a
# [path:GLOB] section turns it back on for an input of the run
mkdir -p "$TMP/cfg/sub"
cp "$FD/sale.txt" "$TMP/cfg/a.txt"
cp "$FD/sale.txt" "$TMP/cfg/sub/b.txt"
printf 'disable = fmt.cookies, fmt.sale, zanlint.unused-suppression\n[path:sub/*]\nenable = fmt.sale\n' >"$TMP/cfg/.zanlint"
# shellcheck disable=SC2086
zl $FMT --config "$TMP/cfg/.zanlint" --format sarif -o "$TMP/cfg1.sarif" "$TMP/cfg/a.txt"
# shellcheck disable=SC2086
zl $FMT --config "$TMP/cfg/.zanlint" --format sarif -o "$TMP/cfg2.sarif" "$TMP/cfg/a.txt" "$TMP/cfg/sub/b.txt"
python3 - "$TMP/cfg1.sarif" "$TMP/cfg2.sarif" <<'PY' || fail "SARIF rules[] with rules turned off by the configuration"
import json, sys
def ids(path):
    run = json.load(open(path, encoding="utf-8"))["runs"][0]
    listed = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        assert listed[res["ruleIndex"]] == res["ruleId"], res
    return listed, sorted({r["ruleId"] for r in run["results"]})
listed, fired = ids(sys.argv[1])
assert "fmt.cookies" not in listed and "fmt.sale" not in listed, listed
assert "zanlint.unused-suppression" not in listed and "zanlint.suppression-invalid" in listed, listed
assert "fmt.sale" not in fired and "fmt.consent" in fired, fired
listed, fired = ids(sys.argv[2])
assert "fmt.sale" in listed and "fmt.cookies" not in listed, listed
assert "fmt.sale" in fired, fired
PY
if [ -d "$SCHEMAS" ] && python3 -c 'import jsonschema' 2>/dev/null; then
    python3 -m jsonschema -i "$TMP/sup.sarif" "$SCHEMAS/sarif-schema-2.1.0.json" 2>"$TMP/v" \
        || { cat "$TMP/v" >&2; fail "SARIF with suppressions is not valid"; }
fi
echo "formats_sarif: ok"
