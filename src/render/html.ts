import type { Lang } from './notes.js';
import { notesText, rowTone } from './notes.js';
import type { FlowReport, Report } from '../analysis/report.js';
import { TEARDOWN_CLASSES } from '../analysis/verdict-keys.js';
import type { TeardownClass } from '../analysis/verdict-keys.js';
import type { Instant, PacketRow } from '../flow/connection.js';
import { CLASS_COLOURS, SCRIPT, STYLE } from './html/assets.js';
import { esc } from './html/escape.js';
import { endpointText } from './ladder.js';
import { ladderSvg, rowId } from './svg.js';
import { PAGE_WORDS } from './html/words.js';
import type { PageWords } from './html/words.js';
import { LABELS } from './labels.js';
import { className, handshakeName, verdictTitle } from './names.js';
import { skippedLines } from './text.js';
import { writeReportVerdict } from './text-columns.js';
import { ByteLines } from './byte-lines.js';
import { explanationOf } from './explanations/string.js';
import { causeDefinition, causeLine } from './causes.js';
import { TimeFormatter } from './time.js';
import { rowInfo } from './info.js';
import { viaText } from './via.js';

/**
 * `teardown report`: one self-contained HTML page (docs/pictures.md). The page is written as a stream of
 * chunks so that a capture with many thousands of connections never needs the whole page as one
 * string. It stays usable at that size because a closed card costs a few elements: its ladder and
 * packet table sit in an inert `<template>` until the card is opened, cards off screen are not laid
 * out (`content-visibility: auto`), a table shows ROWS_SHOWN rows until "show all", and the class
 * filter is one body attribute with one CSS rule a class, not a walk over the cards.
 */

export interface HtmlOptions {
  lang: Lang;
  /** Capture time of the first record: the origin of relative times. */
  origin: Instant;
  digits: 6 | 9;
}

/** Cards open at load (their bodies built) when the report has at most this many connections. */
export const OPEN_MAX = 20;
/** Packet rows shown per card before "show all". */
export const ROWS_SHOWN = 50;

/**
 * The packet table's column widths (the text table's columns, docs/contract.md, "Packet table", with
 * the addresses as an arrow, and Info last: it is the widest): the narrow ones fixed, Note and Info
 * sharing the rest and wrapping, so that Info is seen without scrolling in a 1,024 px window.
 */
const PACKET_COLS = ['5ch', '11ch', '3ch', '14ch', '14ch', '24%', ''];

function counts(flows: readonly FlowReport[]): Array<[TeardownClass, number]> {
  const n = new Map<TeardownClass, number>();
  for (const f of flows) n.set(f.teardown.class, (n.get(f.teardown.class) ?? 0) + 1);
  return TEARDOWN_CLASSES.filter((c) => n.has(c)).map((c) => [c, n.get(c) ?? 0]);
}

/** Connections by class as a horizontal bar chart; each bar filters the cards, like the buttons. */
export function classChart(byClass: ReadonlyArray<[TeardownClass, number]>, lang: Lang = 'en'): string {
  const max = Math.max(1, ...byClass.map(([, n]) => n));
  const bar = 22;
  const height = byClass.length * bar + 4;
  const parts = [`<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="460" height="${height}" viewBox="0 0 460 ${height}" font-size="12" role="img" aria-label="${esc(PAGE_WORDS[lang].chartLabel)}">`];
  byClass.forEach(([c, n], i) => {
    const y = i * bar + 2;
    const w = Math.max(2, Math.round((n / max) * 280));
    const name = className(c, lang);
    parts.push(`<g class="bar" data-filter="${esc(c)}" data-count="${n}" tabindex="0" role="button"><title>${esc(`${name}: ${n}`)}</title>`
      + `<text x="120" y="${y + 14}" text-anchor="end" fill="#263238">${esc(name)}</text>`
      + `<rect class="fill" x="128" y="${y + 2}" width="${w}" height="${bar - 6}" rx="3" fill="${CLASS_COLOURS[c]}"/>`
      + `<text x="${128 + w + 6}" y="${y + 14}" fill="#263238">${n}</text></g>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function rowHtml(r: PacketRow, times: TimeFormatter, lang: Lang, flow: number): string {
  const tone = rowTone(r.notes);
  const dir = r.fromClient ? '→' : '←';
  const cells = [String(r.no), times.format(r.time), dir, r.client, r.server, notesText(r.notes, lang), rowInfo(r)];
  return `<tr id="${rowId(flow, r.no)}"${tone === 'plain' ? '' : ` class="tone-${tone}"`}>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
}

/**
 * Text of a card made safe (esc) with each packet number of the connection (`#9`) a link to its
 * row; a number the card has no row for (rows not kept) stays text.
 */
function linked(text: string, f: FlowReport): string {
  const safe = esc(text);
  if (!f.rows) return safe;
  // Not after `&`: `&#39;` is an escaped apostrophe, not packet 39.
  return safe.replace(/(?<!&)#(\d+)/g, (m, no: string) => {
    const n = Number(no);
    return n >= f.firstPacket && n <= f.lastPacket ? `<a class="ev" href="#${rowId(f.id, n)}">${m}</a>` : m;
  });
}

/** Zeek's history letters (flow/history.ts), each with what it stands for as its title. */
function historyHtml(history: string, lang: Lang): string {
  const w = PAGE_WORDS[lang];
  const l = LABELS[lang];
  return [...history].map((ch) => {
    const upper = ch.toUpperCase() as keyof PageWords['letters'];
    const meaning = w.letters[upper];
    if (meaning === undefined) return esc(ch);
    return `<abbr title="${esc(`${ch}${l.colon}${ch === upper ? l.client : l.server} ${meaning}`)}">${esc(ch)}</abbr>`;
  }).join('');
}

/** The legend: what the colours, the history letters and the links mean. */
export function legendHtml(lang: Lang): string {
  const w = PAGE_WORDS[lang];
  const classes = TEARDOWN_CLASSES.map((c) => `<span class="key"><span class="dot" style="background:${CLASS_COLOURS[c]}"></span>${esc(verdictTitle(c, null, lang))}</span>`).join(' ');
  const tones = (['fin', 'trailing', 'rst'] as const).map((t) => `<span class="key"><span class="swatch tone-${t}">${t === 'rst' ? 'RST' : t === 'fin' ? 'FIN' : 'PSH'}</span>${esc(w.tones[t])}</span>`).join(' ');
  const letters = (Object.keys(w.letters) as Array<keyof PageWords['letters']>).map((k) => `<span class="key"><code>${k}</code>/<code>${k.toLowerCase()}</code> ${esc(w.letters[k])}</span>`).join(' ');
  return `<details class="legend" open><summary>${esc(w.legend)}</summary>`
    + `<p>${esc(w.classColours)} ${classes}</p>`
    + `<p>${esc(w.rowColours)} ${tones}</p>`
    + `<p>${esc(w.historyLetters)} ${letters} (${esc(w.historyCase)})</p>`
    + `<p>${esc(w.evidenceLinks)}</p></details>\n`;
}

/** A card's body: the ladder and the packet table, ROWS_SHOWN rows and the rest behind "show all". */
export function cardBody(f: FlowReport, o: HtmlOptions): string {
  const rows = f.rows ?? [];
  const times = new TimeFormatter('relative', o.origin, o.digits);
  const w = PAGE_WORDS[o.lang];
  const shown = rows.slice(0, ROWS_SHOWN).map((r) => rowHtml(r, times, o.lang, f.id)).join('\n');
  const rest = rows.slice(ROWS_SHOWN).map((r) => rowHtml(r, times, o.lang, f.id)).join('\n');
  const more = rest ? `<button class="show-all" type="button">${esc(w.showAll(rows.length))}</button><template class="rest">${rest}</template>` : '';
  const cols = PACKET_COLS.map((width) => (width ? `<col style="width:${width}">` : '<col>')).join('');
  return `<div class="svgwrap">${ladderSvg(f, o)}</div>`
    + `<div class="tablewrap"><table class="packets"><colgroup>${cols}</colgroup><thead><tr>${w.packetHead.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`
    + `<tbody>\n${shown}\n</tbody></table>${more}</div>`;
}

/**
 * The verdict line, explanation and evidence of a card, as the text report writes them
 * (text-columns.ts); into `out` when given (emptied first: list-data.ts writes one for each of
 * hundreds of thousands of connections, and a new buffer each was a fifth of its time).
 */
export function cardVerdict(f: FlowReport, lang: Lang, out = new ByteLines()): string[] {
  out.setLength(0);
  writeReportVerdict(out, f, lang);
  return out.text().split('\n');
}

/** One connection's card: heading, verdict, explanation, then the ladder and table (lazily built). */
export function cardHtml(f: FlowReport, o: HtmlOptions, open: boolean): string {
  const t = f.teardown;
  const w = PAGE_WORDS[o.lang];
  const [verdict = '', , evidence = ''] = cardVerdict(f, o.lang);
  const colour = CLASS_COLOURS[t.class];
  const label = verdictTitle(t.class, t.detail, o.lang);
  const body = f.rows
    ? `<details class="body"${open ? ' open' : ''}><summary>${esc(w.body(f.rows.length))}</summary><template>${cardBody(f, o)}</template></details>`
    : `<p class="empty">${esc(w.noRows)}</p>`;
  const sep = ' · ';
  return `<article class="card" id="flow-${f.id}" data-class="${esc(t.class)}" style="--class-colour:${colour}">`
    + `<header><h2><a href="#flow-${f.id}">#${f.id}</a> <span class="mono">${esc(endpointText(f.client))} → ${esc(endpointText(f.server))}</span></h2>`
    + `<span class="badge" style="background:${colour}">${esc(label)}</span></header>`
    + `<p class="verdict">${esc(verdict)}</p>`
    + `<p class="explanation">${linked(explanationOf(t.explain, o.lang), f)}</p>`
    + t.causes.map((c) => `<p class="cause" data-cause="${esc(c.id)}" title="${esc(causeDefinition(c.id, o.lang))}">${linked(causeLine(c, t, o.lang), f)}</p>`).join('')
    + `<p class="evidence">${linked(evidence.trim(), f)}${sep}${esc(w.packets)} #${f.firstPacket}–#${f.lastPacket}${sep}${esc(w.handshake(handshakeName(f.handshake, o.lang)))}${f.via ? `${sep}${esc(viaText(f.via, o.lang))}` : ''}`
    + `${sep}${esc(w.history)} <code class="history">${historyHtml(f.history, o.lang)}</code></p>`
    + `${body}</article>\n`;
}

/** The page's head and the start of its body: both pages' (and list-page.ts's) first chunk. */
export function pageStart(title: string, lang: Lang, css: string): string {
  return `<!DOCTYPE html>\n<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">\n<head>\n<meta charset="utf-8">\n`
    + `<meta name="viewport" content="width=device-width, initial-scale=1">\n`
    + `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">\n`
    + `<title>${esc(title)}</title>\n<style>${css}\n</style>\n</head>\n<body>\n<main>\n`;
}

/** The heading and the capture's facts: what was read, what was skipped, where it was damaged. */
export function factsHtml(report: Report, shown: number, lang: Lang): string {
  const c = report.capture;
  const w = PAGE_WORDS[lang];
  const facts = [c.format ?? w.unknownFormat, w.records(c.packets), w.tcp(c.tcpPackets), w.shown(shown)];
  let header = `<h1>${esc(w.title)}</h1>\n<p class="facts"><code>${esc(c.file)}</code> · ${facts.map(esc).join(' · ')}</p>\n`;
  for (const line of skippedLines(c, lang)) header += `<p class="facts">${esc(line.trim())}</p>\n`;
  const unplaced = report.unplaced;
  if (unplaced !== undefined) header += `<p class="facts">${esc(LABELS[lang].unplacedCount(unplaced.packets.length + unplaced.more))}</p>\n`;
  for (const d of report.errors) header += `<p class="damage">${esc(w.damage(d.offset, d.packet, d.message))}</p>\n`;
  return header;
}

/** The class filter's buttons, All first (`data-filter` "": every class). */
export function filterButtons(byClass: ReadonlyArray<[TeardownClass, number]>, total: number, lang: Lang): string {
  const w = PAGE_WORDS[lang];
  return [`<button type="button" data-filter="" data-count="${total}" aria-pressed="true">${esc(w.all)} (${total})</button>`,
    ...byClass.map(([k, n]) => `<button type="button" data-filter="${esc(k)}" data-count="${n}" aria-pressed="false"><span class="dot" style="background:${CLASS_COLOURS[k]}"></span>${esc(className(k, lang))} (${n})</button>`)].join('');
}

/** The whole page, in chunks (a card each). `report.flows` are the connections to show. */
export function* reportHtml(report: Report, o: HtmlOptions): Generator<string> {
  const flows = report.flows;
  const byClass = counts(flows);
  const w = PAGE_WORDS[o.lang];
  const title = `${w.title}: ${report.capture.file}`;
  const filterCss = byClass.map(([k]) => `body[data-filter="${esc(k)}"] .card:not([data-class="${esc(k)}"]) { display: none; }`).join('\n');
  yield pageStart(title, o.lang, `${STYLE}${filterCss}`);
  let header = factsHtml(report, flows.length, o.lang);
  header += `<section class="summary"><div><h2>${esc(w.byClass)}</h2>${byClass.length ? classChart(byClass, o.lang) : `<p class="empty">${esc(w.noConnections)}</p>`}</div>`
    + `<div><h2>${esc(w.filter)}</h2><div class="filters">${filterButtons(byClass, flows.length, o.lang)}</div><p>${w.showing(`<span id="shown">${flows.length}</span>`, flows.length)}`
    + `${flows.length > OPEN_MAX ? esc(w.openCard) : ''}</p></div></section>\n` + legendHtml(o.lang);
  yield header;
  const open = flows.length <= OPEN_MAX;
  for (const f of flows) yield cardHtml(f, o, open);
  yield `</main>\n<script>${SCRIPT}</script>\n</body>\n</html>\n`;
}
