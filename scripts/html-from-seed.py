#!/usr/bin/env python3
"""Wraps a plain-text seed policy in Word-style HTML (tests/fixtures/html/).

    scripts/html-from-seed.py tests/fixtures/seeds/000_*.txt > tests/fixtures/html/seed000.html

Paragraphs are the blank-line separated blocks of the seed.  The first block
becomes <h1>, a short numbered block without final punctuation ("1. Введение")
<h2>, every other block a <p class=MsoNormal> with its source lines kept.
Quotes, dashes and '&' become character entities, and the page carries the
markup of a Word "Save as Web Page" export (mso styles, an <xml> island in a
conditional comment, <o:p> elements), so the HTML reader's entity mapping and
Word handling are exercised on a real policy.
"""
import html
import re
import sys

ENT = {"«": "&laquo;", "»": "&raquo;", "–": "&ndash;", "—": "&mdash;", "&": "&amp;",
       "<": "&lt;", ">": "&gt;", "“": "&ldquo;", "”": "&rdquo;", "\u00a0": "&nbsp;"}

HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<title>Политика конфиденциальности</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Юрист</o:Author>
  <o:Words>персональные данные согласие</o:Words>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;
	margin:0cm;
	font-size:12.0pt;
	font-family:"Times New Roman",serif;}
-->
</style>
</head>

<body lang=RU style='tab-interval:35.4pt;word-wrap:break-word'>

<div class=WordSection1>
"""

TAIL = """
</div>

</body>

</html>
"""


def esc(s):
    return "".join(ENT.get(c, c) for c in s)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    out = [HEAD]
    for i, b in enumerate(blocks):
        lines = [l.rstrip() for l in b.strip("\n").split("\n")]
        body = "\n".join(esc(l) for l in lines)
        one = " ".join(l.strip() for l in lines)
        if i == 0:
            out.append("<h1>%s<o:p></o:p></h1>\n" % body)
        elif re.match(r"^\d+\.\s+\S", one) and len(one) < 80 and not re.search(r"[.;:,]$", one):
            out.append("<h2><span lang=RU style='mso-ansi-language:RU'>%s</span></h2>\n" % body)
        else:
            out.append("<p class=MsoNormal>%s<o:p></o:p></p>\n" % body)
        if i % 7 == 3:
            out.append("<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n")
    out.append(TAIL)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
