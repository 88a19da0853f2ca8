#!/bin/sh
# ci-lint.sh - zanlint for any CI system: lints the policy files changed
# since a git revision (or every policy file below a directory), writes
# SARIF and JUnit reports, prints the text report, and exits with zanlint's
# status (0 clean, 1 findings at or above --fail-on, 2 an error).
#
#   scripts/ci-lint.sh [BASE]
#
# BASE: a git revision (e.g. origin/main, "$CI_MERGE_REQUEST_DIFF_BASE_SHA");
# the policy files (.md .markdown .txt .html .htm .docx .pdf) added, copied,
# modified or renamed between BASE and the working tree are linted.  Without
# BASE, every policy file below $POLICY_DIR (default: .) is linted.
# Environment:
#   ZANLINT       the binary (default: zanlint on PATH)
#   ZANLINT_ARGS  extra options, e.g. "--fail-on warning" (word-split)
#   ZANLINT_OUT   directory for zanlint.sarif and zanlint-junit.xml (default: .)
#   POLICY_DIR    what to lint without BASE (default: .)
# Run it from the repository root so paths in the reports are relative to it
# (and the repository's .zanlint applies).  No changed policy file: empty,
# valid reports and exit 0.  POSIX sh; file names must not contain newlines.
set -u
ZANLINT=${ZANLINT:-zanlint}
out=${ZANLINT_OUT:-.}
mkdir -p "$out" || exit 2
sarif=$out/zanlint.sarif
junit=$out/zanlint-junit.xml

if [ $# -gt 0 ] && [ -n "$1" ]; then
    list=$(mktemp "${TMPDIR:-/tmp}/ci-lint.XXXXXX") || exit 2
    trap 'rm -f "$list"' EXIT
    trap 'exit 2' INT TERM
    git -c core.quotePath=false diff --name-only --diff-filter=ACMR "$1" -- >"$list.all" ||
        { rm -f "$list.all"; echo "ci-lint: cannot diff against '$1'" >&2; exit 2; }
    grep -iE '\.(md|markdown|txt|html?|docx|pdf)$' "$list.all" >"$list" || true
    rm -f "$list.all"
    echo "ci-lint: $(wc -l <"$list" | tr -d ' ') changed policy file(s) since $1" >&2
    # shellcheck disable=SC2086
    "$ZANLINT" ${ZANLINT_ARGS:-} --format sarif --output "$sarif" \
        --format junit --output "$junit" --format text --files-from "$list"
    status=$?
else
    # shellcheck disable=SC2086
    "$ZANLINT" ${ZANLINT_ARGS:-} --format sarif --output "$sarif" \
        --format junit --output "$junit" --format text "${POLICY_DIR:-.}"
    status=$?
fi
echo "ci-lint: reports in $sarif and $junit; zanlint exited $status" >&2
exit "$status"
