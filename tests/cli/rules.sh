#!/bin/sh
# `zanlint rules` (text, json, markdown) and `zanlint explain`.
. tests/cli/lib/common.sh

# shellcheck disable=SC2086
zl $LINT rules
expect_rc 0 "rules"
[ "$(head -n 1 "$TMP/out" | tr -s ' ')" = "ID SEVERITY ARTICLE TITLE" ] || fail "rules header"
# the pack's 3 rules, then zanlint's own 4 suppression rules
[ "$(wc -l <"$TMP/out")" -eq 8 ] || fail "rules: expected 8 lines"
grep -qE '^zanlint\.unused-suppression +warning +- +' "$TMP/out" || fail "meta rule row"
grep -qE '^clitest\.consent +error +ст\. 7 +Согласие субъекта$' "$TMP/out" || fail "rules row"
# rows sorted by id
[ "$(sed -n '2,4p' "$TMP/out" | cut -d' ' -f1 | tr '\n' ' ')" = "clitest.consent clitest.cookies clitest.sell " ] ||
    fail "rules order"

zl $LINT rules --lang en --disable clitest.sell
expect_rc 0 "rules --disable"
expect_out "Consent of the subject" "--lang en title"
expect_no_out "clitest.sell" "disabled rule listed"

zl $LINT rules --format json
expect_rc 0 "rules json"
expect_out '"rulePackVersion": "1.2"' "pack version"
expect_out '{"id": "clitest.consent", "severity": "error", "article": "ст. 7", "since": null, "until": null, "title": "Согласие субъекта", "tags": [], "file": ' "json row"

zl $LINT rules --format markdown
expect_rc 0 "rules markdown"
expect_out '| [clitest.consent](#clitest.consent) | error | ст. 7 | Согласие субъекта |' "catalogue table"
expect_out '<a id="clitest.sell"></a>' "anchor"
expect_out '## clitest.sell' "heading"
expect_out '- en: The text allows selling personal data.' "message en"
expect_out '- fail: Мы продаем персональные данные партнерам.' "fail example"
expect_out '- pass: Мы не раскрываем данные третьим лицам.' "pass example"
zl $LINT rules --format sarif
expect_rc 2 "rules with an unsupported format"

zl $LINT explain clitest.consent
expect_rc 0 "explain"
expect_out "clitest.consent: Согласие субъекта" "explain title"
expect_out "Статья: ст. 7" "explain article"
expect_out "Не указано согласие субъекта на обработку данных." "explain message"
expect_out "Обработка персональных данных осуществляется с согласия субъекта." "explain suggestion"
expect_out "Мы обрабатываем данные." "explain fail example"
zl $LINT explain --lang en clitest.consent
expect_out "Article: ст. 7" "explain en label"
expect_out "The consent of the data subject is not mentioned." "explain en message"
expect_out "Обработка персональных данных осуществляется с согласия субъекта." "suggestion falls back to ru"
zl $LINT explain clitest.unknown
expect_rc 2 "explain an unknown rule"
expect_err "unknown rule 'clitest.unknown'" "explain unknown message"
zl $LINT explain
expect_rc 2 "explain without an id"
# zanlint's own rules: explained, and turned off like any other
zl $LINT explain zanlint.unused-suppression --lang en
expect_rc 0 "explain a meta rule"
expect_out "Unused suppression" "meta rule title"
zl $LINT rules --disable 'zanlint.*'
expect_rc 0 "rules --disable zanlint.*"
expect_no_out "zanlint." "meta rules after --disable zanlint.*"
echo "rules: ok"
