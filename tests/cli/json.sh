#!/bin/sh
# JSON output: the documented shape and key order, byte-identical across
# runs, valid JSON, and offsets/lines/columns consistent with the source
# (offset/length in bytes, line/column in code points).
. tests/cli/lib/common.sh

printf 'Политика.\n\nС вашего согласия мы используем cookie и\tпродаем персональные данные партнерам.\n' >"$TMP/a.txt"
# shellcheck disable=SC2086
zl $LINT --format json "$TMP/a.txt" "$DATA/error.txt"
expect_rc 1 "json run 1"
cp "$TMP/out" "$TMP/run1.json"
zl $LINT --format json "$TMP/a.txt" "$DATA/error.txt"
cmp -s "$TMP/run1.json" "$TMP/out" || fail "JSON differs between two runs"

head -n 3 "$TMP/run1.json" >"$TMP/head"
printf '{\n  "schemaVersion": 1,\n  "tool": {"name": "zanlint", "version": "%s", "rulePack": "clitest", "rulePackVersion": "1.2"},\n' \
    "$(sed -n 's/^#define ZL_VERSION "\(.*\)"$/\1/p' include/zanlint.h)" >"$TMP/want"
cmp -s "$TMP/head" "$TMP/want" || { diff "$TMP/want" "$TMP/head" >&2; fail "JSON header"; }

# key order of a file and of a finding
keys=$(grep -o '"[a-zA-Z]*":' "$TMP/run1.json" | tr -d '":' | tr '\n' ' ')
case $keys in
"schemaVersion tool name version rulePack rulePackVersion files path languages error findings rule severity article message line column endLine endColumn offset length lang section clause excerpt fingerprint "*) ;;
*) fail "key order: $keys" ;;
esac
case $keys in *" summary files errors warnings infos ") ;; *) fail "summary keys: $keys" ;; esac

zl $LINT --format json --lang en "$TMP/a.txt"
expect_out '"message": "The text allows selling personal data."' "--lang en message"
zl $LINT --format json --lang kk "$TMP/a.txt"
expect_out '"message": "Текст допускает продажу персональных данных."' "--lang kk falls back to ru"

if command -v python3 >/dev/null 2>&1; then
    python3 - "$TMP/run1.json" <<'PY' || fail "JSON positions are inconsistent with the sources"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert doc["schemaVersion"] == 1
n = 0
for f in doc["files"]:
    src = open(f["path"], "rb").read()
    assert f["error"] is None
    for x in f["findings"]:
        for k in ("rule", "severity", "line", "column", "fingerprint"):
            assert x[k] not in (None, ""), k
        off, ln = x["offset"], x["length"]
        assert 0 <= off and off + ln <= len(src), (off, ln)
        before = src[:off].decode("utf-8")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        assert (line, col) == (x["line"], x["column"]), ((line, col), x)
        end = src[:off + ln].decode("utf-8")
        assert x["endLine"] == end.count("\n") + 1, x
        n += 1
assert n >= 3, n
s = doc["summary"]
assert s["files"] == 2 and s["errors"] == 1 and s["warnings"] == 1 and s["infos"] == 1, s
PY
else
    echo "python3 not found: skipping the position cross-check"
fi
echo "json: ok"
