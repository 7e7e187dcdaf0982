/**
 * The large report's style and script (list-page.ts), plain JS with no framework: the data is
 * unpacked once (DecompressionStream, then the varint columns of list-data.ts into typed arrays),
 * the list keeps an order of indexes (filtered, searched, sorted) and draws only the rows in its
 * window, and a connection's card is drawn when it is opened: its words from its template and
 * numbers, its ladder and packet table from its block of card bodies (html.ts cardBody).
 */

export const LIST_STYLE = `
.summary table.counts { border-collapse: collapse; font-size: 13px; }
.summary table.counts td { padding: 0 8px 0 0; }
.summary table.counts td.n { text-align: right; }
.listing { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin-bottom: 16px; }
.listing .hint { color: var(--muted); }
.listing input { font: inherit; }
.list { border: 1px solid var(--line); font: 12px/22px ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
.list-head, .list .row { display: grid; grid-template-columns: 7ch 22ch 22ch 20ch 10ch 10ch 8ch 10ch 10ch 1fr; }
.list-head button { font: inherit; font-weight: 600; text-align: left; border: 0; border-bottom: 1px solid var(--line); background: #eceff1; padding: 0 4px; cursor: pointer; }
.list-head button[aria-sort="ascending"]::after { content: " ▲"; }
.list-head button[aria-sort="descending"]::after { content: " ▼"; }
.list-body { position: relative; height: 50vh; overflow-y: auto; overflow-x: hidden; }
.list .row { position: absolute; left: 0; right: 0; height: 22px; cursor: pointer; border-left: 4px solid var(--class-colour, #90a4ae); }
.list .row span { padding: 0 4px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.list .row[hidden] { display: none; }
.list .row:hover { background: #eceff1; }
.list .row.open { background: #e3f2fd; }
#detail { margin-top: 12px; }
`;

export const LIST_SCRIPT = `
(function () {
  var D = JSON.parse(document.getElementById('td-data').textContent);
  var N = D.n, ROWH = 22;
  var C = {};
  var body = document.getElementById('list-body'), space = document.getElementById('list-space');
  var shown = document.getElementById('shown'), search = document.getElementById('search'), detail = document.getElementById('detail');

  function bytesOf(b64) {
    var s = atob(b64), u = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    return u;
  }
  function inflate(b64) {
    var stream = new Blob([bytesOf(b64)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  // The varints of list-data.ts (Varints): 7 bits a byte, low bits first; zigzag for the signed
  // columns, a running sum for the ones stored as differences.
  function column(u, signed, summed) {
    var out = new Float64Array(u.length), n = 0, acc = 0;
    for (var i = 0; i < u.length;) {
      var v = 0, m = 1, b;
      do { b = u[i++]; v += (b & 127) * m; m *= 128; } while (b & 128);
      if (signed) v = v % 2 ? -(v + 1) / 2 : v / 2;
      if (summed) { acc += v; v = acc; }
      out[n++] = v;
    }
    return out.subarray(0, n);
  }
  var SIGNED = { id: 1, cport: 1, start: 1, first: 1 }, SUMMED = { id: 1, cport: 1, start: 1, first: 1 };

  var holes = D.kinds.map(function (k) { return k[0].split(D.hole).length - 1; });
  var numAt, bodyAt, order, view, sortCol = 0, sortDir = 1, filterClass = -1, query = '';
  var ranks = null;

  function ready() {
    numAt = new Uint32Array(N + 1); bodyAt = new Int32Array(N);
    var b = 0;
    for (var i = 0; i < N; i++) {
      numAt[i + 1] = numAt[i] + holes[C.kind[i]];
      bodyAt[i] = C.rows[i] > 0 ? b++ : -1;
    }
    document.getElementById('loading').remove();
    sortBy(0, 1);
    document.body.setAttribute('data-ready', '');
    var m = /^#flow-(\\d+)$/.exec(location.hash);
    if (m) openId(Number(m[1]));
  }

  // The sort keys of each column (list-page.ts: the list's headings, in this order).
  function rankOfStrings() {
    if (ranks) return ranks;
    var idx = D.strings.map(function (_, i) { return i; });
    idx.sort(function (a, b) { return cmpText(D.strings[a], D.strings[b]); });
    ranks = new Float64Array(D.strings.length);
    idx.forEach(function (s, r) { ranks[s] = r; });
    return ranks;
  }
  function cmpText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function keyOf(col) {
    var k = new Float64Array(N), r;
    for (var i = 0; i < N; i++) {
      switch (col) {
        case 0: k[i] = C.id[i]; break;
        case 1: r = r || rankOfStrings(); k[i] = r[C.cip[i]] * 65536 + C.cport[i]; break;
        case 2: r = r || rankOfStrings(); k[i] = r[C.sip[i]] * 65536 + C.sport[i]; break;
        case 3: k[i] = D.kinds[C.kind[i]][1] * 65536 + C.kind[i]; break;
        case 4: k[i] = C.start[i]; break;
        case 5: k[i] = C.dur[i]; break;
        case 6: k[i] = C.rows[i] > 0 ? C.rows[i] - 1 : -1; break;
        case 7: k[i] = C.cbytes[i]; break;
        case 8: k[i] = C.sbytes[i]; break;
        default: r = r || rankOfStrings(); k[i] = r[C.hist[i]];
      }
    }
    return k;
  }
  function sortBy(col, dir) {
    sortCol = col; sortDir = dir;
    var k = keyOf(col), ids = C.id;
    order = new Uint32Array(N);
    for (var i = 0; i < N; i++) order[i] = i;
    order.sort(function (a, b) { return (k[a] - k[b]) * dir || ids[a] - ids[b]; });
    document.querySelectorAll('.list-head [data-sort]').forEach(function (h) {
      if (Number(h.getAttribute('data-sort')) === col) h.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      else h.removeAttribute('aria-sort');
    });
    refilter();
  }

  function address(ip, port) { var s = D.strings[ip]; return (s.indexOf(':') >= 0 ? '[' + s + ']' : s) + ':' + port; }
  function hay(i) {
    var k = D.kinds[C.kind[i]];
    return ('#' + C.id[i] + ' ' + address(C.cip[i], C.cport[i]) + ' ' + address(C.sip[i], C.sport[i]) + ' ' + D.classes[k[1]] + ' ' + k[2] + ' ' + k[3] + ' ' + D.strings[C.hist[i]]).toLowerCase();
  }
  function refilter() {
    var words = query.toLowerCase().split(/\\s+/).filter(Boolean);
    var out = new Uint32Array(N), n = 0;
    for (var j = 0; j < N; j++) {
      var i = order[j];
      if (filterClass >= 0 && D.kinds[C.kind[i]][1] !== filterClass) continue;
      if (words.length) {
        var h = hay(i), ok = true;
        for (var w = 0; w < words.length && ok; w++) ok = h.indexOf(words[w]) >= 0;
        if (!ok) continue;
      }
      out[n++] = i;
    }
    view = out.subarray(0, n);
    shown.textContent = String(n);
    space.style.height = (n * ROWH) + 'px';
    draw();
  }

  var drawn = [], scheduled = false, openIndex = -1;
  function seconds(us) { return (us / 1e6).toFixed(6); }
  // Rows are kept and refilled, not made anew, so that a row under the pointer stays the same element.
  function rowAt(p) {
    var row = drawn[p];
    if (row) return row;
    row = document.createElement('div');
    row.setAttribute('role', 'row');
    for (var c = 0; c < 10; c++) row.appendChild(document.createElement('span'));
    body.appendChild(row);
    return drawn[p] = row;
  }
  function draw() {
    scheduled = false;
    var first = Math.max(0, Math.floor(body.scrollTop / ROWH) - 5);
    var last = Math.min(view.length, Math.ceil((body.scrollTop + body.clientHeight) / ROWH) + 5);
    var p = 0;
    for (var j = first; j < last; j++, p++) {
      var i = view[j], k = D.kinds[C.kind[i]], row = rowAt(p);
      row.className = i === openIndex ? 'row open' : 'row';
      row.hidden = false;
      row.setAttribute('data-i', String(i));
      row.style.top = (j * ROWH) + 'px';
      row.style.setProperty('--class-colour', D.colours[k[1]]);
      var cells = ['#' + C.id[i], address(C.cip[i], C.cport[i]), address(C.sip[i], C.sport[i]), k[2], seconds(C.start[i]), seconds(C.dur[i]),
        C.rows[i] > 0 ? String(C.rows[i] - 1) : '', String(C.cbytes[i]), String(C.sbytes[i]), D.strings[C.hist[i]]];
      for (var c = 0; c < cells.length; c++) row.children[c].textContent = cells[c];
    }
    for (; p < drawn.length; p++) drawn[p].hidden = true;
  }
  body.addEventListener('scroll', function () { if (!scheduled) { scheduled = true; requestAnimationFrame(draw); } });
  window.addEventListener('resize', draw);

  var esc = function (t) { return String(t).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); };
  // A template's holes filled (list-data.ts, template): after '#' a packet number, the connection's
  // first plus the zigzag number, or one named before; else the digits after the number's leading 1.
  function words(i) {
    var k = D.kinds[C.kind[i]], at = numAt[i], first = C.first[i], seen = [];
    var parts = k[0].split(D.hole), out = parts[0];
    for (var p = 1; p < parts.length; p++) {
      var v = C.nums[at++], text;
      if (out.charAt(out.length - 1) !== '#') text = String(v).slice(1);
      else if (v % 2) text = String(seen[(v - 1) / 2]);
      else { v /= 2; text = String(first + (v % 2 ? -(v + 1) / 2 : v / 2)); seen.push(text); }
      out += text + parts[p];
    }
    return out;
  }
  // Each packet number of the connection a link to its row (html.ts linked, rowId).
  function linked(text, i) {
    var t = esc(text);
    if (bodyAt[i] < 0) return t;
    var id = C.id[i], first = C.first[i], last = first + C.span[i];
    return t.replace(/(?<!&)#(\\d+)/g, function (m, no) {
      var n = Number(no);
      return n >= first && n <= last ? '<a class="ev" href="#c' + id + '-p' + n + '">' + m + '</a>' : m;
    });
  }
  var cache = { no: -1, bodies: null };
  function bodyOf(i) {
    var b = bodyAt[i];
    if (b < 0) return Promise.resolve(null);
    var no = Math.floor(b / D.block);
    if (cache.no === no) return Promise.resolve(cache.bodies[b % D.block]);
    return inflate(document.getElementById('td-b' + no).textContent).then(function (u) {
      cache = { no: no, bodies: JSON.parse(new TextDecoder().decode(u)) };
      return cache.bodies[b % D.block];
    });
  }
  function open(i) {
    openIndex = i;
    draw();
    var k = D.kinds[C.kind[i]], lines = words(i).split('\\n');
    var evidence = lines.pop(), verdict = lines.shift(), explanation = lines.shift();
    var id = C.id[i];
    return bodyOf(i).then(function (html) {
      var inner = '<header><h2><a href="#flow-' + id + '">#' + id + '</a> <span class="mono">' + esc(address(C.cip[i], C.cport[i]) + ' → ' + address(C.sip[i], C.sport[i])) + '</span></h2>'
        + '<span class="badge" style="background:' + D.colours[k[1]] + '">' + esc(k[2]) + '</span></header>'
        + '<p class="verdict">' + esc(verdict) + '</p><p class="explanation">' + linked(explanation, i) + '</p>'
        + lines.map(function (l) { return '<p class="cause">' + linked(l, i) + '</p>'; }).join('')
        + '<p class="evidence">' + linked(evidence, i) + ' · ' + esc(D.words.history) + ' <code class="history">' + esc(D.strings[C.hist[i]]) + '</code></p>'
        + (html === null ? '<p class="empty">' + esc(D.words.noRows) + '</p>'
          : '<details class="body" open><summary>' + esc(D.words.body.split(D.hole).join(String(C.rows[i] - 1))) + '</summary>' + html + '</details>');
      detail.innerHTML = '<article class="card" id="flow-' + id + '" data-class="' + D.classes[k[1]] + '" style="--class-colour:' + D.colours[k[1]] + '">' + inner + '</article>';
      detail.setAttribute('data-open', String(id));
    });
  }
  function openId(id) {
    for (var i = 0; i < N; i++) if (C.id[i] === id) return open(i).then(function () { detail.scrollIntoView(); });
  }

  function filter(b) {
    var c = b.getAttribute('data-filter');
    filterClass = c ? D.classes.indexOf(c) : -1;
    document.querySelectorAll('.filters [data-filter]').forEach(function (x) {
      x.setAttribute('aria-pressed', String(x.getAttribute('data-filter') === c));
    });
    refilter();
  }
  function showAll(s) {
    var t = s.nextElementSibling;
    s.closest('.tablewrap').querySelector('tbody').appendChild(t.content);
    t.remove(); s.remove();
  }
  document.addEventListener('click', function (e) {
    if (!order) return;
    var b = e.target.closest('[data-filter]');
    if (b) { filter(b); return; }
    var h = e.target.closest('[data-sort]');
    if (h) { var col = Number(h.getAttribute('data-sort')); sortBy(col, col === sortCol ? -sortDir : 1); return; }
    var r = e.target.closest('.list .row');
    if (r) { open(Number(r.getAttribute('data-i'))); return; }
    var s = e.target.closest('button.show-all');
    if (s) { showAll(s); return; }
    var a = e.target.closest('#detail a[href^="#c"]');
    if (a && !document.getElementById(a.getAttribute('href').slice(1))) {
      var more = detail.querySelector('button.show-all');
      if (more) showAll(more);
    }
  });
  document.addEventListener('keydown', function (e) {
    var b = e.target.closest && e.target.closest('svg [data-filter]');
    if (b && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); filter(b); }
    if (e.target === body && e.key === 'Enter' && view && view.length) open(openIndex >= 0 ? openIndex : view[Math.floor(body.scrollTop / ROWH)]);
  });
  var typing = 0;
  search.addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(function () { query = search.value.trim(); if (order) refilter(); }, 120);
  });
  window.addEventListener('hashchange', function () {
    var m = /^#flow-(\\d+)$/.exec(location.hash);
    if (m && order) openId(Number(m[1]));
  });

  Promise.all(D.order.map(function (name) {
    // A column is its chunks, each deflated alone (varints.ts): inflated, then read as one run of bytes.
    return Promise.all(document.getElementById('td-c-' + name).textContent.split(',').map(inflate)).then(function (parts) {
      var u = new Uint8Array(parts.reduce(function (n, p) { return n + p.length; }, 0)), at = 0;
      parts.forEach(function (p) { u.set(p, at); at += p.length; });
      C[name] = column(u, SIGNED[name], SUMMED[name]);
    });
  })).then(ready);
})();
`;
