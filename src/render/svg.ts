import type { NoteTone } from './notes.js';
import type { FlowReport } from '../analysis/report.js';
import type { Instant } from '../flow/connection.js';
import { esc } from './html/escape.js';
import { endpointText, ladderSteps } from './ladder.js';
import type { LadderStep } from './ladder.js';
import { TimeFormatter } from './time.js';
import type { TextOptions } from './text.js';
import { LABELS } from './labels.js';
import { PAGE_WORDS } from './html/words.js';
import { cellWidth } from './table.js';

/** The id of a packet's row in the HTML report: `c3-p17`, connection 3's packet 17 (evidence and ladder link to it). */
export const rowId = (flow: number, no: number): string => `c${flow}-p${no}`;

/**
 * The ladder diagram as inline SVG (the HTML report's picture of a connection): the steps of
 * ladder.ts drawn as arrows that slope down from sender to receiver, states beside the lifelines,
 * notes on the right. Colours are presentation attributes, not CSS, so that a diagram reads the
 * same inside the report and on its own; arrowheads are polygons (no marker ids to collide when
 * thousands of diagrams share a page).
 */

export type SvgOptions = Pick<TextOptions, 'lang' | 'origin' | 'digits'>;

/** Steps drawn at most; the rest are in the packet table (a diagram of 10,000 arrows helps no one). */
export const SVG_MAX_STEPS = 300;

/** The colours of docs/contract.md, "Colours": FIN and its ACK red, data after a FIN yellow (dark enough on white), RST inverse red. */
export const TONE_COLOURS: Record<NoteTone, string> = { plain: '#37474f', fin: '#c62828', trailing: '#b8860b', rst: '#c62828' };

const CHAR = 6.6; // width of one column of the 11 px monospace font, for layout (a wide character takes two)
const ROW = 30;
/** The line height of a note wrapped onto several lines. */
const NOTE_LINE = 13;
const TOP = 44;
const WHEN_X = 8;
const STATE_WIDTH = 12 * CHAR; // SYN_RECEIVED
const GAP = 8;
const SLOPE = 10;

/**
 * The widest a diagram is laid out: a card's inside in a 1,024 px window (the page's margins and the
 * card's padding taken off). Notes wrap onto more lines to stay within it; only arrow labels longer
 * than the room left (none in practice) widen it.
 */
export const SVG_MAX_WIDTH = 920;
/** The narrowest a note column is made, however long the labels. */
const MIN_NOTE_WIDTH = 200;

/** The font stacks: monospace, and for Chinese the CJK fonts the page names too (html/assets.ts). */
const FONTS = {
  en: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
  zh: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Noto Sans Mono CJK SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', monospace",
};

const r1 = (n: number): string => String(Math.round(n * 10) / 10);
/** Estimated width in pixels: a column a character, two for a wide (CJK) one, as a terminal counts them. */
const textWidth = (s: string): number => cellWidth(s) * CHAR;

/**
 * A note cut into lines of at most `columns` columns: at spaces, and, where a word is longer than
 * a line (Chinese has no spaces), between characters.
 */
export function wrapNote(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  // A cause's mark stays with its arrow: `◀ cause: …` (ladder.ts) is not cut after the `◀`.
  for (const word of text.split(/(?<!◀) /)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (cellWidth(candidate) <= columns) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    for (const ch of word) {
      if (cellWidth(line + ch) > columns && line !== '') {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function head(x1: number, y1: number, x2: number, y2: number, fill: string): string {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const ux = (x2 - x1) / len;
  const uy = (y2 - y1) / len;
  const bx = x2 - ux * 9;
  const by = y2 - uy * 9;
  const pts = [[x2, y2], [bx - uy * 4, by + ux * 4], [bx + uy * 4, by - ux * 4]].map(([x, y]) => `${r1(x ?? 0)},${r1(y ?? 0)}`).join(' ');
  return `<polygon points="${pts}" fill="${fill}"/>`;
}

/** One connection's ladder as an `<svg>` element; an empty string when rows were not kept. */
export function ladderSvg(f: FlowReport, o: SvgOptions): string {
  if (!f.rows) return '';
  const all = ladderSteps({ rows: f.rows, client: f.client, server: f.server, causes: f.teardown.causes }, o.lang);
  const steps = all.slice(0, SVG_MAX_STEPS);
  const times = new TimeFormatter('relative', o.origin, o.digits);
  const whens = steps.map((s) => whenText(s, times));
  const words = LABELS[o.lang];
  const heads = [`${words.client} ${endpointText(f.client)}`, `${words.server} ${endpointText(f.server)}`];
  // Lifeline headings are bold and centred on their line: half of one must fit left of the client's.
  const headHalf = (text: string): number => (textWidth(text) * 1.1) / 2 + GAP;
  const arrowWidth = Math.max(340, ...steps.map((s) => textWidth(s.label) + 60));
  const clientX = Math.max(WHEN_X + Math.max(0, ...whens.map(textWidth)) + STATE_WIDTH + 2 * GAP, headHalf(heads[0] ?? ''));
  const serverX = clientX + arrowWidth;
  const noteX = serverX + STATE_WIDTH + 2 * GAP;
  const noteRoom = Math.max(MIN_NOTE_WIDTH, SVG_MAX_WIDTH - GAP - noteX);
  const notes = steps.map((s) => (s.kind === 'packet' && s.note ? wrapNote(s.note, Math.floor(noteRoom / CHAR)) : []));
  const noteWidth = Math.max(0, ...notes.flat().map(textWidth));
  const width = Math.ceil(Math.max(noteX + noteWidth + GAP, serverX + headHalf(heads[1] ?? '')));
  // A step is a row high, more when its note takes more lines.
  const ys: number[] = [];
  let y = TOP;
  notes.forEach((lines) => {
    ys.push(y);
    y += Math.max(ROW, ROW + (lines.length - 1) * NOTE_LINE);
  });
  const more = all.length - steps.length;
  const bottom = y + (more > 0 ? ROW : 0);
  const height = bottom + 12;
  const page = PAGE_WORDS[o.lang];

  const out: string[] = [];
  out.push(`<svg class="ladder" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONTS[o.lang]}" font-size="11" role="img" aria-label="${esc(page.ladderLabel(f.id))}">`);
  for (const [side, x, head] of [['client', clientX, heads[0]], ['server', serverX, heads[1]]] as const) {
    out.push(`<g class="lifeline ${side}"><text x="${r1(x)}" y="16" text-anchor="middle" font-weight="bold" fill="#263238">${esc(head ?? '')}</text>`
      + `<line x1="${r1(x)}" y1="24" x2="${r1(x)}" y2="${bottom}" stroke="#90a4ae" stroke-width="2"/></g>`);
  }
  steps.forEach((s, i) => out.push(stepSvg(s, whens[i] ?? '', ys[i] ?? TOP, clientX, serverX, noteX, notes[i] ?? [], f.id)));
  if (more > 0) {
    out.push(`<text class="more" x="${r1((clientX + serverX) / 2)}" y="${y + 8}" text-anchor="middle" fill="#607d8b">${esc(page.moreSteps(more))}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function whenText(s: LadderStep, times: TimeFormatter): string {
  const t: Instant = s.kind === 'packet' ? s.row.time : s.first.time;
  const no = s.kind === 'packet' ? `#${s.row.no}` : `#${s.first.no}–#${s.last.no}`;
  return `${no} ${times.format(t)}`;
}

function stepSvg(s: LadderStep, whenLabel: string, y: number, clientX: number, serverX: number, noteX: number, note: readonly string[], flow: number): string {
  const mid = (clientX + serverX) / 2;
  // The packet's number and time link to its row in the packet table (html.ts: rowId).
  const whenSvg = `<text class="when" x="${WHEN_X}" y="${y + 4}" fill="#78909c">${esc(whenLabel)}</text>`;
  const when = s.kind === 'packet' ? `<a href="#${rowId(flow, s.row.no)}">${whenSvg}</a>` : whenSvg;
  if (s.kind === 'fold') {
    const colour = '#607d8b';
    const parts = [`<g class="arrow fold" data-first="${s.first.no}" data-last="${s.last.no}">`, when,
      `<line x1="${r1(clientX)}" y1="${y}" x2="${r1(serverX)}" y2="${y}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="5 4"/>`];
    if (s.toServer > 0) parts.push(head(clientX, y, serverX, y, colour));
    if (s.toClient > 0) parts.push(head(serverX, y, clientX, y, colour));
    parts.push(`<text class="label" x="${r1(mid)}" y="${y - 5}" text-anchor="middle" fill="${colour}" font-style="italic">${esc(s.label)}</text>`, '</g>');
    return parts.join('');
  }
  const colour = TONE_COLOURS[s.tone];
  const [x1, x2] = s.row.fromClient ? [clientX, serverX] : [serverX, clientX];
  const y2 = y + SLOPE;
  const parts = [`<g class="arrow packet tone-${s.tone}" data-no="${s.row.no}">`, when,
    `<line x1="${r1(x1)}" y1="${y}" x2="${r1(x2)}" y2="${y2}" stroke="${colour}" stroke-width="${s.tone === 'plain' ? 1.5 : 2}"/>`,
    head(x1, y, x2, y2, colour)];
  const labelY = y + SLOPE / 2 - 5;
  if (s.tone === 'rst') {
    const w = textWidth(s.label) + 8;
    parts.push(`<rect x="${r1(mid - w / 2)}" y="${labelY - 10}" width="${r1(w)}" height="13" rx="2" fill="${colour}"/>`);
  }
  parts.push(`<text class="label" x="${r1(mid)}" y="${labelY}" text-anchor="middle" fill="${s.tone === 'rst' ? '#ffffff' : colour}">${esc(s.label)}</text>`);
  if (s.clientState) parts.push(`<text class="state client" x="${r1(clientX - GAP)}" y="${y2 + 4}" text-anchor="end" fill="#1565c0">${s.clientState}</text>`);
  if (s.serverState) parts.push(`<text class="state server" x="${r1(serverX + GAP)}" y="${y2 + 4}" fill="#1565c0">${s.serverState}</text>`);
  if (note.length > 0) {
    const lines = note.map((line, i) => `<tspan x="${r1(noteX)}"${i === 0 ? '' : ` dy="${NOTE_LINE}"`}>${esc(line)}</tspan>`).join('');
    parts.push(`<text class="note" x="${r1(noteX)}" y="${y + 4}" fill="${colour}">${lines}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}
