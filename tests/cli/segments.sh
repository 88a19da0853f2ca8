#!/bin/sh
# `zanlint segments FILE [--format json]` shows the segmentation.
. tests/cli/lib/common.sh

zl segments tests/fixtures/seeds/000_80f2cb7f16497100.txt
expect_rc 0 "segments text"
[ -s "$TMP/out" ] || fail "segments printed nothing"
cp "$TMP/out" "$TMP/seg1"
zl segments --format json tests/fixtures/seeds/000_80f2cb7f16497100.txt
expect_rc 0 "segments json"
if command -v python3 >/dev/null 2>&1; then
    python3 -m json.tool "$TMP/out" >/dev/null || fail "segments JSON is not valid"
fi
zl segments tests/fixtures/seeds/000_80f2cb7f16497100.txt
cmp -s "$TMP/seg1" "$TMP/out" || fail "segments output is not deterministic"
zl segments "$TMP/missing.txt"
expect_rc 2 "segments of a missing file"
expect_err "$TMP/missing.txt" "segments diagnostic"
zl segments
expect_rc 2 "segments without a file"
zl segments --format markdown "$DATA/clean.txt"
expect_rc 2 "segments with an unsupported format"
echo "segments: ok"
