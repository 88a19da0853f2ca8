/*
 * dom-check.js - checks run inside the HTML report (zanlint --format html) by
 * headless Chromium; injected by run-dom-check.py after the report's own
 * script, with window.ZL_EXPECT (built from the JSON output of the same run)
 * defined before it.  Results go into <pre id="zl-result">: "PASS <n>" or
 * one "FAIL: ..." line per failed check.  Plain ES5, no dependencies.
 */
(function () {
  'use strict';
  var E = window.ZL_EXPECT;
  var out = [];
  var nChecks = 0;
  function check(ok, what) {
    nChecks++;
    if (!ok) out.push('FAIL: ' + what);
  }
  function eq(a, b, what) {
    check(a === b, what + ': got ' + JSON.stringify(a) + ', want ' + JSON.stringify(b));
  }
  function all(sel, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(sel));
  }
  function visible(el) {
    return el.getClientRects().length > 0;
  }
  function sorted(a) { return a.slice().sort(); }

  var table = document.getElementById('matrix');
  check(!!table, 'table#matrix exists');
  if (!table) return finish();
  var heads = all('thead th.rule', table);
  var ruleIds = heads.map(function (th) { return th.getAttribute('data-rule'); });
  var col = {};
  ruleIds.forEach(function (id, i) { col[id] = i; });
  var rows = all('tbody tr', table);
  var FIRST = 3;
  var paths = Object.keys(E.docs);

  // --- the matrix against the JSON findings ---------------------------------
  eq(rows.length, paths.length, 'one matrix row per input');
  check(heads.length >= E.minColumns, 'at least ' + E.minColumns + ' rule columns (got ' + heads.length + ')');
  rows.forEach(function (tr) {
    var name = tr.getAttribute('data-name');
    var d = E.docs[name];
    check(!!d, 'row ' + name + ' is an input of the run');
    if (!d) return;
    eq(tr.cells.length, FIRST + heads.length, name + ': cells per row');
    var fails = [];
    for (var i = 0; i < heads.length; i++) {
      var td = tr.cells[FIRST + i];
      if (td.classList.contains('fail')) fails.push(ruleIds[i]);
      check(td.querySelector('.sr') && td.querySelector('.sr').textContent.length > 0,
            name + ' ' + ruleIds[i] + ': cell has text for screen readers');
      check(td.title.length > 0, name + ' ' + ruleIds[i] + ': cell has a tooltip');
    }
    if (d.error) {
      check(tr.classList.contains('unread'), name + ': unreadable row marked');
      eq(all('td.c.unr', tr).length, heads.length, name + ': every cell unreadable');
    } else {
      eq(JSON.stringify(sorted(fails)), JSON.stringify(sorted(d.rules)), name + ': failed rules = JSON findings');
      eq(tr.cells[2].textContent, String(d.rules.length), name + ': row count');
      d.rules.forEach(function (r) {
        var td = tr.cells[FIRST + col[r]];
        check(td && td.title.indexOf(d.messages[r]) >= 0, name + ' ' + r + ': tooltip has the message');
      });
    }
  });
  // every finding's rule is a column with the finding's severity
  Object.keys(E.severity).forEach(function (r) {
    check(r in col, r + ' is a column');
    if (r in col) eq(heads[col[r]].getAttribute('data-sev'), E.severity[r], r + ': column severity');
  });
  var foot = table.tFoot.rows[0];
  var total = 0;
  heads.forEach(function (th, i) {
    var n = all('tbody tr', table).filter(function (tr) {
      return tr.cells[FIRST + i].classList.contains('fail');
    }).length;
    total += n;
    eq(foot.cells[FIRST + i].textContent, String(n), ruleIds[i] + ': column count');
  });
  eq(total, E.totalFailedCells, 'failed cells in all = distinct (document, rule) pairs in the JSON');
  // the footer's "failed" cell: documents with at least one failed cell
  function failingRows() {
    return all('tbody tr', table).filter(function (tr) {
      return visible(tr) && all('td.c.fail', tr).filter(visible).length > 0;
    }).length;
  }
  eq(foot.cells[2].textContent, String(E.failingDocs), 'footer: documents failing = JSON documents with a finding');
  // per-document cards: one per read input, with every finding
  var cards = all('.card');
  eq(cards.length, paths.filter(function (p) { return !E.docs[p].error; }).length, 'one card per read input');
  cards.forEach(function (c) {
    var d = E.docs[c.getAttribute('data-name')];
    check(!!d, 'card belongs to an input');
    if (d) eq(all('li.f', c).length, d.findings, c.getAttribute('data-name') + ': findings listed');
  });
  eq(all('#failed li').length, paths.filter(function (p) { return E.docs[p].error; }).length,
     'unreadable inputs listed');

  // --- filters ------------------------------------------------------------------
  var fSev = document.getElementById('f-sev'), fName = document.getElementById('f-name');
  var fArt = document.getElementById('f-art'), fLang = document.getElementById('f-lang');
  function set(el, v) {
    el.value = v;
    el.dispatchEvent(new Event(el.tagName === 'INPUT' ? 'input' : 'change'));
  }
  function visibleRows() { return all('tbody tr', table).filter(visible); }
  function visibleFails(tr) {
    return all('td.c.fail', tr).filter(visible).map(function (td) {
      return ruleIds[Array.prototype.indexOf.call(tr.cells, td) - FIRST];
    });
  }
  set(fSev, 'error');
  var vh = heads.filter(visible);
  check(vh.length > 0 && vh.length < heads.length, 'severity filter hides some columns');
  check(vh.every(function (th) { return th.getAttribute('data-sev') === 'error'; }), 'only error columns visible');
  eq(vh.length, heads.filter(function (th) { return th.getAttribute('data-sev') === 'error'; }).length,
     'every error column visible');
  var spans = all('thead th.grp', table).filter(visible).reduce(function (s, g) { return s + g.colSpan; }, 0);
  eq(spans, vh.length, 'article groups span the visible columns');
  visibleRows().forEach(function (tr) {
    var d = E.docs[tr.getAttribute('data-name')];
    if (d.error) return;
    var want = d.rules.filter(function (r) { return E.severity[r] === 'error'; });
    eq(JSON.stringify(sorted(visibleFails(tr))), JSON.stringify(sorted(want)),
       tr.getAttribute('data-name') + ': visible failed cells under the error filter');
    eq(tr.cells[2].textContent, String(want.length), tr.getAttribute('data-name') + ': row count under the error filter');
  });
  eq(foot.cells[2].textContent, String(failingRows()), 'footer under the error filter: documents failing');
  all('.card li.f').filter(visible).forEach(function (li) {
    eq(li.getAttribute('data-sev'), 'error', 'only error findings visible in cards');
  });
  set(fName, E.nameFilter.toUpperCase()); // case-insensitive
  var vr = visibleRows();
  eq(vr.length, 1, 'name filter leaves one row');
  if (vr.length === 1) {
    var p = vr[0].getAttribute('data-name');
    eq(p, E.nameMatch, 'name filter keeps the matching document');
    var want = E.docs[p].rules.filter(function (r) { return E.severity[r] === 'error'; });
    eq(visibleFails(vr[0]).length, want.length, 'severity + name: failed cells');
  }
  eq(all('.card').filter(visible).length, 1, 'name filter leaves one card');
  eq(document.getElementById('shown-n').textContent, '1', 'shown counter');
  set(fName, '');
  set(fSev, '');
  eq(heads.filter(visible).length, heads.length, 'clearing the filters shows every column');
  eq(visibleRows().length, rows.length, 'clearing the filters shows every row');

  set(fArt, E.article);
  vh = heads.filter(visible);
  check(vh.length > 0 && vh.length < heads.length, 'article filter hides some columns');
  check(vh.every(function (th) { return th.getAttribute('data-arts').indexOf('|' + E.article + '|') >= 0; }),
        'article filter: only rules citing ' + E.article);
  set(fArt, '');
  set(fLang, 'kk');
  eq(visibleRows().length, E.kkDocs, 'language filter: documents with a kk version');
  set(fLang, '');

  // --- sorting --------------------------------------------------------------------
  function counts() {
    return all('tbody tr', table).map(function (tr) {
      return tr.classList.contains('unread') ? -1 : +tr.cells[2].textContent;
    });
  }
  function button(key) { return table.querySelector('thead th[data-key=' + key + '] button'); }
  // by count: most failures first (aria-sort descending), then reversed;
  // unreadable rows (-1) last both times
  function unreadLast(c) {
    var k = c.indexOf(-1);
    return k < 0 || c.slice(k).every(function (v) { return v === -1; });
  }
  check(E.docs && paths.some(function (p) { return E.docs[p].error; }), 'the run has an unreadable input');
  button('count').click();
  var c = counts();
  var r = c.filter(function (v) { return v >= 0; });
  check(r.every(function (v, i) { return i === 0 || r[i - 1] >= v; }) && unreadLast(c),
        'sort by count: descending first, unreadable last ' + c);
  eq(table.querySelector('thead th[data-key=count]').getAttribute('aria-sort'), 'descending', 'aria-sort = order');
  button('count').click();
  c = counts();
  r = c.filter(function (v) { return v >= 0; });
  check(r.every(function (v, i) { return i === 0 || r[i - 1] <= v; }) && unreadLast(c),
        'sort by count again: ascending, unreadable last ' + c);
  eq(table.querySelector('thead th[data-key=count]').getAttribute('aria-sort'), 'ascending', 'aria-sort reversed');
  button('name').click();
  var names = all('tbody tr', table).map(function (tr) { return tr.getAttribute('data-name'); });
  eq(JSON.stringify(names), JSON.stringify(names.slice().sort()), 'sort by name');
  var h = heads[col[E.sortRule]];
  h.querySelector('button').click();
  var firstNonFail = all('tbody tr', table).map(function (tr) {
    return tr.cells[FIRST + col[E.sortRule]].classList.contains('fail');
  });
  check(firstNonFail.indexOf(false) < 0 || firstNonFail.slice(firstNonFail.indexOf(false)).indexOf(true) < 0,
        'sort by a rule column: failed first');

  // --- no injection from file names or document text ---------------------------------
  check(window.__zlPwned === undefined, 'no script from document content ran');
  eq(all('img, iframe, object, embed, link, base').length, 0, 'no element from document content');
  if (E.evilName) {
    check(rows.some(function (tr) { return tr.getAttribute('data-name') === E.evilName; }),
          'the hostile file name is shown as text');
    check(document.body.textContent.indexOf(E.evilText) >= 0, 'the hostile excerpt is shown as text');
  }
  finish();

  function finish() {
    var errs = window.__zlErrors || [];
    errs.forEach(function (e) { out.push('FAIL: console/page error: ' + e); });
    var pre = document.createElement('pre');
    pre.id = 'zl-result';
    pre.textContent = out.length ? out.join('\n') : 'PASS ' + nChecks;
    document.body.appendChild(pre);
  }
})();
