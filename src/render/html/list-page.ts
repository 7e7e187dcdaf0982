import type { Report } from '../../analysis/report.js';
import { TEARDOWN_CLASSES } from '../../analysis/verdict-keys.js';
import type { TeardownClass } from '../../analysis/verdict-keys.js';
import { CAUSE_IDS } from '../../analysis/causes.js';
import { causeName } from '../causes.js';
import { verdictTitle } from '../names.js';
import type { HtmlOptions } from '../html.js';
import { classChart, factsHtml, filterButtons, legendHtml, pageStart } from '../html.js';
import { CLASS_COLOURS, STYLE } from './assets.js';
import { esc } from './escape.js';
import { LIST_SCRIPT, LIST_STYLE } from './list-assets.js';
import { BODY_BLOCK, COLUMNS, HOLE } from './list-data.js';
import type { ListData } from './list-data.js';
import { PAGE_WORDS } from './words.js';

/**
 * The report page for many connections (docs/report.md): instead of a card a connection, the
 * summary (by class, cause, server, port and time), a list that the page draws only where it is
 * seen, and one connection's card drawn when it is opened, from the packed data of list-data.ts.
 * The small page (html.ts reportHtml) is the one for a lab capture; the CLI picks (report.ts).
 */

/** Bars at most in the chart of connections over time. */
const TIME_BARS = 60;
/** Rows at most in the busiest servers' and ports' tables. */
const TOP = 10;

/** The rows of a count table, largest first (ties by name, so the page is the same every run). */
function topRows<K extends string | number>(m: ReadonlyMap<K, number>, name: (k: K) => string): string {
  const rows = [...m].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, TOP);
  return `<table class="counts">${rows.map(([k, n]) => `<tr><td class="mono">${esc(name(k))}</td><td class="n">${n}</td></tr>`).join('')}</table>`;
}

/** Connections started per bucket of whole seconds, as bars (the title of each: its seconds and count). */
function timeChart(bySecond: ReadonlyMap<number, number>, lang: 'en' | 'zh'): string {
  const seconds = [...bySecond.keys()];
  const from = Math.min(...seconds);
  const span = Math.max(...seconds) - from + 1;
  const width = Math.max(1, Math.ceil(span / TIME_BARS));
  const bars = new Array<number>(Math.ceil(span / width)).fill(0);
  for (const [s, n] of bySecond) {
    const i = Math.floor((s - from) / width);
    bars[i] = (bars[i] ?? 0) + n;
  }
  const max = Math.max(1, ...bars);
  const barW = Math.floor(440 / bars.length);
  const parts = bars.map((n, i) => {
    const h = Math.max(n > 0 ? 1 : 0, Math.round((n / max) * 70));
    return `<rect x="${i * barW}" y="${72 - h}" width="${Math.max(1, barW - 1)}" height="${h}" fill="#546e7a"><title>${from + i * width}–${from + (i + 1) * width} s: ${n}</title></rect>`;
  });
  return `<h2>${esc(PAGE_WORDS[lang].list.overTime(String(width)))}</h2>`
    + `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${bars.length * barW}" height="74" role="img" aria-label="${esc(PAGE_WORDS[lang].list.overTime(String(width)))}">${parts.join('')}</svg>`;
}

/** JSON inside a `<script>` element: nothing in it may close the element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

/** The whole page, in chunks; `report.flows` is empty (the connections are in `data`). */
export function* listPageHtml(report: Report, data: ListData, o: HtmlOptions): Generator<string> {
  const w = PAGE_WORDS[o.lang];
  const l = w.list;
  const n = data.count;
  const byClass: Array<[TeardownClass, number]> = TEARDOWN_CLASSES.filter((c) => data.byClass.has(c)).map((c) => [c, data.byClass.get(c) ?? 0]);
  yield pageStart(`${w.title}: ${report.capture.file}`, o.lang, `${STYLE}${LIST_STYLE}`);
  const causes = CAUSE_IDS.filter((c) => data.byCause.has(c));
  const byCause = new Map(causes.map((c) => [c, data.byCause.get(c) ?? 0]));
  yield factsHtml(report, n, o.lang)
    + `<section class="summary"><div><h2>${esc(w.byClass)}</h2>${byClass.length ? classChart(byClass, o.lang) : `<p class="empty">${esc(w.noConnections)}</p>`}</div>`
    + `<div><h2>${esc(l.byCause)}</h2>${causes.length ? topRows(byCause, (c) => causeName(c, o.lang)) : `<p class="empty">${esc(l.noCauses)}</p>`}</div>`
    + `<div><h2>${esc(l.servers)}</h2>${topRows(data.byServer, (s) => s)}</div>`
    + `<div><h2>${esc(l.ports)}</h2>${topRows(data.byPort, (p) => String(p))}</div>`
    + `<div>${data.bySecond.size ? timeChart(data.bySecond, o.lang) : ''}</div></section>\n`
    + `<section class="listing"><div class="filters">${filterButtons(byClass, n, o.lang)}</div>`
    + `<p><label>${esc(l.search)} <input id="search" type="search" size="40" placeholder="${esc(l.searchHint)}" autocomplete="off"></label> `
    + `${w.showing(`<span id="shown">${n}</span>`, n)} <span class="hint">${esc(l.pick)}</span></p>`
    + `<div class="list" role="grid" aria-rowcount="${n}"><div class="list-head" role="row">${l.columns.map((c, i) => `<button type="button" role="columnheader" data-sort="${i}">${esc(c)}</button>`).join('')}</div>`
    + `<div class="list-body" id="list-body" tabindex="0"><div id="list-space"></div><p class="empty" id="loading">${esc(l.loading)}</p></div></div>`
    + `<div id="detail"></div></section>\n${legendHtml(o.lang)}`;

  const kinds = data.kinds.map(([template, cls, detail, ids]) => [template, TEARDOWN_CLASSES.indexOf(cls), verdictTitle(cls, detail, o.lang), ids.join(' ')]);
  const page = {
    n, order: COLUMNS, strings: data.strings, kinds, hole: HOLE, block: BODY_BLOCK,
    classes: TEARDOWN_CLASSES, colours: TEARDOWN_CLASSES.map((c) => CLASS_COLOURS[c]),
    words: { body: w.body(0).replace(/\d+/, HOLE), noRows: l.noRowsHere, history: w.history },
  };
  yield `<script type="application/json" id="td-data">${scriptJson(page)}</script>\n`;
  // A column's chunks one by one, joined by commas: the largest column is megabytes, never copied whole.
  for (const [name, chunks] of data.finish()) {
    yield `<script type="text/plain" id="td-c-${name}">`;
    for (const [i, chunk] of chunks.entries()) yield i === 0 ? chunk : `,${chunk}`;
    yield '</script>\n';
  }
  for (const [i, b] of data.blocks.entries()) yield `<script type="text/plain" id="td-b${i}">${b.toString('base64')}</script>\n`;
  yield `</main>\n<script>${LIST_SCRIPT}</script>\n</body>\n</html>\n`;
}
