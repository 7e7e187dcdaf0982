import type { TeardownClass } from '../../analysis/verdict-keys.js';

/**
 * The report's inline style sheet and script: the page must open from a file on a machine without
 * network, so nothing is fetched (system fonts only, no external scripts or images).
 */

/** One colour a class, for its badge and its bar in the chart. */
export const CLASS_COLOURS: Record<TeardownClass, string> = {
  'refused': '#6a1b9a',
  'unanswered': '#4e342e',
  'rst-after-close': '#c62828',
  'abort': '#ad1457',
  'half-close': '#00838f',
  'graceful': '#2e7d32',
  'stuck': '#ef6c00',
  'open': '#546e7a',
};

export const STYLE = `
:root { color-scheme: light; --ink: #263238; --muted: #607d8b; --line: #cfd8dc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: var(--ink); background: #eceff1; }
:lang(zh) body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 22px; margin: 4px 0 2px; }
h2 { font-size: 15px; margin: 0; font-weight: 600; }
code, .mono, table.packets, .verdict { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 12px; }
:lang(zh) :is(code, .mono, table.packets, .verdict) { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, "Noto Sans Mono CJK SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", monospace; }
.facts { color: var(--muted); margin: 0 0 12px; }
.damage { background: #fff3e0; border-left: 4px solid #ef6c00; padding: 6px 10px; margin: 8px 0; }
.summary { display: flex; flex-wrap: wrap; gap: 16px 32px; align-items: flex-start; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; }
.summary svg .bar { cursor: pointer; }
.summary svg .bar:hover rect.fill { opacity: .8; }
.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 4px 0 8px; }
.filters button { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 14px; padding: 2px 12px; cursor: pointer; }
.filters button[aria-pressed="true"] { background: var(--ink); color: #fff; border-color: var(--ink); }
.filters .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 5px; }
.card { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--class-colour, #90a4ae); border-radius: 6px; padding: 10px 14px; margin: 0 0 12px;
  content-visibility: auto; contain-intrinsic-size: auto 170px; }
.card header { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.card h2 a { color: inherit; text-decoration: none; }
.badge { color: #fff; border-radius: 10px; padding: 0 9px; font-size: 12px; font-weight: 600; }
.verdict { margin: 6px 0 2px; }
.explanation { margin: 2px 0; }
.cause { margin: 2px 0; padding-left: 8px; border-left: 3px solid var(--class-colour); }
.evidence { margin: 2px 0 4px; color: var(--muted); font-size: 12px; }
a.ev { color: #1565c0; }
abbr { text-decoration: none; cursor: help; }
.legend { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px 16px; margin-bottom: 16px; font-size: 13px; }
.legend summary { cursor: pointer; font-weight: 600; }
.legend p { margin: 4px 0; }
.legend .key { display: inline-block; margin-right: 12px; white-space: nowrap; }
.legend .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 5px; }
.legend .swatch { display: inline-block; font: 12px ui-monospace, 'DejaVu Sans Mono', monospace; padding: 0 5px; margin-right: 5px; border-radius: 2px; }
.swatch.tone-fin { color: #c62828; border: 1px solid #c62828; }
.swatch.tone-trailing { background: #fff59d; color: #5d4300; }
.swatch.tone-rst { background: #c62828; color: #fff; }
details.body > summary { cursor: pointer; color: #1565c0; margin: 4px 0; }
.svgwrap, .tablewrap { overflow-x: auto; margin: 6px 0; }
table.packets { border-collapse: collapse; table-layout: fixed; width: 100%; }
table.packets th { text-align: left; background: #eceff1; position: sticky; top: 0; }
table.packets th, table.packets td { padding: 1px 8px 1px 4px; border-bottom: 1px solid #eceff1; vertical-align: top; white-space: nowrap; overflow: hidden; }
table.packets td:nth-child(n+6) { white-space: normal; overflow-wrap: anywhere; }
table.packets tr { scroll-margin-top: 60px; }
table.packets tr:target { outline: 3px solid #1565c0; outline-offset: -2px; }
tr.tone-fin td { color: #c62828; }
tr.tone-trailing td { background: #fff59d; color: #5d4300; }
tr.tone-rst td { background: #c62828; color: #fff; }
button.show-all { font: inherit; font-size: 12px; margin-top: 4px; cursor: pointer; }
.empty { color: var(--muted); font-style: italic; }
`;

/** Filter by class (no per-card work: a body attribute and one CSS rule a class), lazy card bodies, "show all" rows. */
export const SCRIPT = `
(function () {
  function fill(d) {
    var t = d.querySelector(':scope > template');
    if (t) { d.appendChild(t.content); t.remove(); }
  }
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d.tagName === 'DETAILS' && d.open) fill(d);
  }, true);
  document.querySelectorAll('details.body[open]').forEach(fill);
  function filter(b) {
    var c = b.getAttribute('data-filter');
    if (c) document.body.setAttribute('data-filter', c); else document.body.removeAttribute('data-filter');
    document.querySelectorAll('.filters [data-filter]').forEach(function (x) {
      x.setAttribute('aria-pressed', String(x.getAttribute('data-filter') === c));
    });
    document.getElementById('shown').textContent = b.getAttribute('data-count');
  }
  function showAll(s) {
    var t = s.nextElementSibling;
    s.closest('.tablewrap').querySelector('tbody').appendChild(t.content);
    t.remove(); s.remove();
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest('[data-filter]');
    if (b) { filter(b); return; }
    var s = e.target.closest('button.show-all');
    if (s) { showAll(s); return; }
    // A packet number (#c3-p17): its row may still sit in the card's template, or behind "show all";
    // put it in the page before the browser follows the link.
    var a = e.target.closest('a[href^="#c"]');
    var card = a && a.closest('.card');
    if (!card) return;
    var d = card.querySelector('details.body');
    if (d && !d.open) { d.open = true; fill(d); }
    if (!document.getElementById(a.getAttribute('href').slice(1))) {
      var more = card.querySelector('button.show-all');
      if (more) showAll(more);
    }
  });
  document.addEventListener('keydown', function (e) {
    var b = e.target.closest && e.target.closest('svg [data-filter]');
    if (b && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); filter(b); }
  });
})();
`;
