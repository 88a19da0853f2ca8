#!/usr/bin/env python3
"""Wraps a plain-text seed policy in HTML (tests/fixtures/html/), as a Word
export (--style word, the default) or as a CMS page (--style cms).

    scripts/html-from-seed.py tests/fixtures/seeds/000_*.txt > tests/fixtures/html/seed000.html
    scripts/html-from-seed.py --style cms [--split-before TITLE] SEED.txt > PAGE.html

Word style:
Paragraphs are the blank-line separated blocks of the seed.  The first block
becomes <h1>, a short numbered block without final punctuation ("1. Введение")
<h2>, every other block a <p class=MsoNormal> with its source lines kept.
Quotes, dashes and '&' become character entities, and the page carries the
markup of a Word "Save as Web Page" export (mso styles, an <xml> island in a
conditional comment, <o:p> elements), so the HTML reader's entity mapping and
Word handling are exercised on a real policy.

CMS style (a WordPress privacy page): the seed's lines are joined into
paragraphs the way a person retypes them (see paragraphs()), the page has a
<script>, <style>, <noscript> and comments around an .entry-content div,
headings <h2><strong>, bullets <ul><li>, some paragraphs wrapped in a
Google-Docs <span>, empty "<p>&nbsp;</p>" spacers, a typographer's &nbsp;
after one- and two-letter words, and in a Kazakh section every Kazakh letter
as a numeric reference (&#1179; for қ).  --split-before TITLE starts a
lang="ru" section at the paragraph TITLE (seed 003: kk, then ru).
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


CMS_HEAD = """<!DOCTYPE html>
<html lang="%(lang)s" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="WordPress 6.4.3">
<title>%(title)s &ndash; %(site)s</title>
<link rel="stylesheet" id="wp-block-library-css" href="/wp-includes/css/dist/block-library/style.min.css?ver=6.4.3" media="all">
<script type="text/javascript">
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); if (1 < 2 && 3 > 2) { gtag('config', 'G-XXXX'); }
</script>
<style id="global-styles-inline-css">
body{--wp--preset--color--black: #000000;} p:empty{display:none}
</style>
</head>
<body class="privacy-policy page-template-default page page-id-3">
<!-- wp:navigation is rendered by the theme; the page content starts here -->
<div id="page" class="site">
<main id="main" class="site-main">
<article id="post-3" class="post-3 page type-page status-publish hentry">
<div class="entry-content">
"""

CMS_TAIL = """</div><!-- .entry-content -->
</article><!-- #post-3 -->
</main>
</div><!-- #page -->
<noscript><img height="1" width="1" style="display:none" src="https://mc.yandex.ru/watch/00000000" alt=""></noscript>
<script src="/wp-content/themes/theme/js/navigation.js?ver=1.0" id="navigation-js"></script>
</body>
</html>
"""

KK = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
SHORT = re.compile(r"(?<![\w-])([А-Яа-яЁё]{1,2}) (?=\w)")


def typograph(s, numeric):
    """Escapes like a CMS typographer plugin: named entities for quotes,
    dashes and markup characters, &nbsp; after one- and two-letter words,
    and (an old Kazakh site) numeric references for the Kazakh letters."""
    out = esc(s)
    out = SHORT.sub(lambda m: m.group(1) + "&nbsp;", out)
    if numeric:
        out = "".join("&#%d;" % ord(c) if c in KK else c for c in out)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)


def paragraphs(text):
    """The seed as a person types it in a CMS editor (same rule as the DOCX
    fixtures in scripts/make-fixtures): a line that starts with a bullet or
    follows a finished sentence (. ; : ! ?) or a blank line starts a new
    paragraph, other lines continue it; bullets are list items, short
    numbered or capitalised lines headings.  Yields (kind, text)."""
    cur, blank = [], True
    for raw in text.replace("\r", "").split("\n"):
        l = raw.strip()
        if not l:
            blank = True
            continue
        bullet = re.match(r"^[●•▪◦‣·]\s*", l)
        title = len(l) <= 80 and not re.search(r"[.;:,]$", l) and (
            re.match(r"^\d+\.\s+\w", l) or (l.upper() == l and re.search(r"\w", l)))
        if blank and cur and not re.search(r"[.;:!?]$", cur[-1][1]) and re.match(r"[a-zа-яё(]", l):
            blank = False  # a page break inside a sentence (the seeds come from PDFs)
        new = blank or bullet or title or not cur or re.search(r"[.;:!?]$", cur[-1][1])
        if new and cur:
            yield cur[0][0], " ".join(t for _, t in cur)
            cur = []
        if title:
            yield "h", l
            blank = True
            continue
        cur.append(("li", l[bullet.end():]) if bullet else ("p" if not cur else cur[0][0], l))
        blank = False
    if cur:
        yield cur[0][0], " ".join(t for _, t in cur)


def cms(text, split):
    blocks = list(paragraphs(text))
    title = blocks[0][1] if blocks else ""
    kk = any(c in KK for c in title)
    out = [CMS_HEAD % {"lang": "kk" if kk else "ru", "title": esc(title), "site": "Компания"}]
    out.append('<section lang="%s">\n' % ("kk" if kk else "ru"))
    in_list = False
    for i, (kind, b) in enumerate(blocks):
        if kind != "li" and in_list:
            out.append("</ul>\n")
            in_list = False
        if split and i > 0 and b == split:  # the second language version
            kk = False
            out.append('</section>\n<hr class="wp-block-separator">\n<section lang="ru">\n')
            out.append('<h1 class="wp-block-heading">%s</h1>\n' % typograph(b, kk))
            continue
        if i == 0:
            out.append('<h1 class="entry-title">%s</h1>\n' % typograph(b, kk))
        elif kind == "h":
            out.append('<h2 class="wp-block-heading"><strong>%s</strong></h2>\n' % typograph(b, kk))
        elif kind == "li":
            if not in_list:
                out.append('<ul class="wp-block-list">\n')
                in_list = True
            out.append("<li>%s</li>\n" % typograph(b, kk))
        elif i % 3 == 1:  # pasted from Google Docs
            out.append('<p><span style="font-weight: 400;">%s</span></p>\n' % typograph(b, kk))
        else:
            out.append("<p>%s</p>\n" % typograph(b, kk))
        if i % 11 == 5:
            out.append("<p>&nbsp;</p>\n")
    if in_list:
        out.append("</ul>\n")
    out.append("</section>\n")
    out.append(CMS_TAIL)
    return "".join(out)


def main():
    args = sys.argv[1:]
    style, split = "word", None
    while len(args) > 1 and args[0].startswith("--"):
        if args[0] == "--style":
            style = args[1]
        elif args[0] == "--split-before":
            split = args[1]
        else:
            sys.exit("html-from-seed.py: unknown option " + args[0])
        args = args[2:]
    text = open(args[0], encoding="utf-8").read()
    if style == "cms":
        sys.stdout.write(cms(text, split))
        return
    if style != "word":
        sys.exit("html-from-seed.py: --style is word or cms")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    # a page break inside a sentence (the seeds come from PDFs) is not a
    # paragraph break: rejoin a block that starts in lower case
    for i in range(len(blocks) - 1, 0, -1):
        if re.match(r"\s*[a-zа-яё(]", blocks[i]) and not re.search(r"[.;:!?]\s*$", blocks[i - 1]):
            blocks[i - 1] = blocks[i - 1].rstrip() + "\n" + blocks.pop(i).strip("\n")
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
