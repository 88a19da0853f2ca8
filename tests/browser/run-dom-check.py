#!/usr/bin/env python3
"""Opens an HTML report of zanlint in headless Chromium and checks its DOM.

    run-dom-check.py CHROMIUM REPORT.html RUN.json WORKDIR [--evil NAME TEXT]
                     [--screenshots DIR]

Builds a harness copy of REPORT.html with three inline scripts added: error
hooks right after <head> (page errors, console.error/warn, CSP violations),
and before </body> window.ZL_EXPECT (from RUN.json, the JSON output of the
same run) and dom-check.js.  Chromium loads the harness with --dump-dom; the
checks write "PASS n" or "FAIL: ..." lines into <pre id="zl-result">.
Chromium's own console log (stderr) must not show a page message either.
Exit status 0 when every check passed.  With --screenshots, also writes
desktop.png (1366x768), phone.png (390x844) and print.pdf of the unmodified
report into DIR.
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

HOOKS = """<script>
window.__zlErrors = [];
window.addEventListener('error', function (e) { window.__zlErrors.push('error: ' + e.message); });
window.addEventListener('securitypolicyviolation', function (e) {
  window.__zlErrors.push('CSP: ' + e.violatedDirective + ' ' + e.blockedURI);
});
['error', 'warn'].forEach(function (k) {
  var f = console[k];
  console[k] = function () {
    window.__zlErrors.push(k + ': ' + Array.prototype.join.call(arguments, ' '));
    return f.apply(console, arguments);
  };
});
</script>"""


def chromium_cmd(chromium, profile):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--user-data-dir=" + profile, "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0"]


def expectations(run, evil):
    docs, severity, total = {}, {}, 0
    for f in run["files"]:
        live = [x for x in f["findings"] if "suppressed" not in x]
        rules = sorted({x["rule"] for x in live})
        messages = {}
        for x in live:
            messages.setdefault(x["rule"], x["message"])
            severity[x["rule"]] = x["severity"]
        total += len(rules)
        docs[f["path"]] = {"error": f["error"] is not None, "rules": rules,
                           "messages": messages, "findings": len(f["findings"])}
    read = [p for p in docs if not docs[p]["error"]]
    # a name filter matching exactly one document: the first read input's
    # longest unique stem
    name_match = read[1] if len(read) > 1 else read[0]
    stem = os.path.basename(name_match)[:4]
    assert sum(stem.lower() in p.lower() for p in docs) == 1, "name filter stem not unique"
    # the rule failing most often sorts first
    counts = {}
    for p in read:
        for r in docs[p]["rules"]:
            counts[r] = counts.get(r, 0) + 1
    sort_rule = sorted(counts, key=lambda r: (counts[r] == len(read), -counts[r], r))[0]
    kk = sum("kk" in f["languages"] for f in run["files"])
    failing = sum(1 for p in read if docs[p]["rules"])
    exp = {"docs": docs, "severity": severity, "totalFailedCells": total, "failingDocs": failing,
           "minColumns": len(severity), "nameFilter": stem, "nameMatch": name_match,
           "article": "ст. 8", "kkDocs": kk, "sortRule": sort_rule}
    if evil:
        exp["evilName"], exp["evilText"] = evil
    return exp


def main():
    args = sys.argv[1:]
    shots = None
    evil = None
    if "--screenshots" in args:
        i = args.index("--screenshots")
        shots = args[i + 1]
        del args[i:i + 2]
    if "--evil" in args:
        i = args.index("--evil")
        evil = (args[i + 1], args[i + 2])
        del args[i:i + 3]
    chromium, report, run_json, work = args
    with open(run_json, encoding="utf-8") as fp:
        run = json.load(fp)
    with open(report, encoding="utf-8") as fp:
        page = fp.read()
    with open(os.path.join(HERE, "dom-check.js"), encoding="utf-8") as fp:
        check_js = fp.read()
    exp = json.dumps(expectations(run, evil), ensure_ascii=False).replace("</", "<\\/")
    head = page.index("<head>") + len("<head>")
    body = page.rindex("</body>")
    harness = (page[:head] + HOOKS + page[head:body] +
               "<script>window.ZL_EXPECT = " + exp + ";</script>\n<script>\n" + check_js +
               "</script>\n" + page[body:])
    path = os.path.join(work, "harness.html")
    with open(path, "w", encoding="utf-8") as fp:
        fp.write(harness)

    profile = tempfile.mkdtemp(prefix="zl-chromium-")
    cmd = chromium_cmd(chromium, profile) + ["--window-size=1366,768",
                                             "--virtual-time-budget=3000", "--dump-dom",
                                             "file://" + path]
    p = subprocess.run(cmd, capture_output=True, timeout=120)
    dom = p.stdout.decode("utf-8", "replace")
    log = p.stderr.decode("utf-8", "replace")
    found = re.findall(r'<pre id="zl-result">([^<]*)</pre>', dom)
    status = 0
    if p.returncode != 0 or not found:
        print("chromium exited %d without a result; stderr:\n%s" % (p.returncode, log[-3000:]))
        return 1
    result = html.unescape(found[-1])
    print(result)
    if not result.startswith("PASS"):
        status = 1
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    for line in console:
        print("FAIL: console message: " + line)
        status = 1

    if shots:
        os.makedirs(shots, exist_ok=True)
        url = "file://" + os.path.abspath(report)
        for name, size in (("desktop", "1366,768"), ("phone", "390,844")):
            subprocess.run(chromium_cmd(chromium, profile) +
                           ["--window-size=" + size, "--screenshot=" + os.path.join(shots, name + ".png"), url],
                           capture_output=True, timeout=120, check=True)
        subprocess.run(chromium_cmd(chromium, profile) +
                       ["--no-pdf-header-footer", "--print-to-pdf=" + os.path.join(shots, "print.pdf"), url],
                       capture_output=True, timeout=120, check=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
