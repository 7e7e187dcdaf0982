import { readFileSync, readdirSync } from 'node:fs';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { TcpState } from '../../src/tcp/states.js';
import { ByteLines } from '../../src/render/byte-lines.js';
import type { SummaryFlow } from '../../src/render/summary-table.js';
import { SUMMARY_COLUMNS, SummaryTable, summaryText } from '../../src/render/summary-table.js';

/** A summary row's facts, the rest filled in. */
function flow(id: number, client: string, server: string, more: Partial<SummaryFlow['teardown']> & { first?: number; last?: number; states?: [TcpState, TcpState] } = {}): SummaryFlow {
  const endpoint = (s: string) => ({ ip: s.slice(0, s.lastIndexOf(':')), port: Number(s.slice(s.lastIndexOf(':') + 1)) });
  return {
    id, client: endpoint(client), server: endpoint(server), firstPacket: more.first ?? id, lastPacket: more.last ?? id * 3,
    finalState: { client: more.states?.[0] ?? 'TIME_WAIT', server: more.states?.[1] ?? 'CLOSED' },
    teardown: { class: more.class ?? 'graceful', detail: more.detail === undefined ? 'four-way' : more.detail, closer: more.closer === undefined ? 'client' : more.closer, resetBy: more.resetBy ?? null, trailingBytes: more.trailingBytes ?? 0, causes: more.causes ?? [] },
  };
}

/** The table as drawn, in pages of WRITE_BYTES as the report writes it. */
function drawn(table: SummaryTable): string {
  const out = new ByteLines();
  const pages: Buffer[] = [];
  table.draw(out, (full) => pages.push(full.take()));
  pages.push(out.take());
  table.close();
  return Buffer.concat(pages).toString('utf8');
}

function tableOf(flows: SummaryFlow[], limits?: { chunkBytes: number; spillBytes: number }): SummaryTable {
  const table = new SummaryTable(limits);
  for (const f of flows) table.addFlow(f);
  return table;
}

/** Rows of every kind of cell: IPv4, IPv6 (bracketed), wide characters, combining marks, empty cells, trailing bytes. */
const SAMPLE = [
  flow(1, '127.0.0.1:50962', '127.0.0.1:12000', { class: 'rst-after-close', detail: 'data-after-close', closer: 'server', resetBy: 'server', trailingBytes: 1460, states: ['CLOSED', 'CLOSED'] }),
  flow(2, '2001:db8::1:40000', '::1:8080', { first: 14, last: 2000 }),
  flow(10, '主机-ü:443', '10.1.1.4:22', { class: 'stuck', detail: 'close-wait', states: ['FIN_WAIT_2', 'CLOSE_WAIT'] }),
  flow(11, 'x\u0301:1', '😀:2', { class: 'open', detail: null, closer: null, states: ['ESTABLISHED', 'ESTABLISHED'] }),
  flow(12, '10.0.0.1:40000', '10.0.0.2:443', {
    class: 'abort', detail: 'established', closer: 'server', resetBy: 'server', states: ['CLOSED', 'CLOSED'],
    causes: [{ id: 'idle-timeout', side: 'path', evidence: [40, 41], seconds: 35 }, { id: 'path-reset', side: 'path', evidence: [41], seconds: null }],
  }),
];

/** string-width of one character, remembered (a drawn table has few distinct ones). */
const charWidths = new Map<string, number>();
const charWidth = (ch: string): number => charWidths.get(ch) ?? (charWidths.set(ch, stringWidth(ch)), stringWidth(ch));

/** Properties of any drawn table: one width for every line, the bars of every line under the head's, each column as wide as its widest cell. */
function checkBox(text: string, rows: number): void {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(2 * rows + 3);
  /** A line's width, and the columns of its bars, crosses and corners. */
  const scan = (line: string) => {
    const bars: number[] = [];
    let col = 0;
    for (const ch of line) {
      if ('│┼├┤┌┐└┘┬┴'.includes(ch)) bars.push(col);
      col += charWidth(ch);
    }
    return { width: col, bars };
  };
  const head = scan(lines[0] ?? '');
  const widest = SUMMARY_COLUMNS.map(() => 0);
  lines.forEach((line, n) => {
    expect(scan(line), `line ${n}`).toEqual(head);
    if (n % 2 === 1) line.slice(2, -2).split(' │ ').forEach((cell, i) => (widest[i] = Math.max(widest[i] ?? 0, stringWidth(cell.trimEnd()))));
  });
  // A column is its widest cell between a space each side and the bars.
  expect(head.bars.slice(1).map((b, i) => b - (head.bars[i] as number) - 3)).toEqual(widest);
  expect(stringWidth(lines[0] ?? '')).toBe(head.width);
}

describe('SummaryTable: the one summary table', () => {
  it('draws the sample rows as checked in (test/unit/summary-table.expected.txt)', () => {
    const expected = readFileSync(new URL('summary-table.expected.txt', import.meta.url), 'utf8');
    expect(drawn(tableOf(SAMPLE))).toBe(expected);
    checkBox(expected, SAMPLE.length);
  });

  it('gives the Summary line and no table for no rows', () => {
    expect(drawn(tableOf([]))).toBe('');
    expect(summaryText([], { summary: { flows: 0, byClass: {}, byCause: {} } })).toBe('Summary: 0 connections\n');
    expect(summaryText(SAMPLE.slice(0, 1), { summary: { flows: 1, byClass: { 'rst-after-close': 1 }, byCause: {} } })).toBe(
      'Summary: 1 connection (rst-after-close 1)\n' + drawn(tableOf(SAMPLE.slice(0, 1))),
    );
  });

  it('boxes rows of any width: every line as wide, the bars aligned, each column as wide as its widest cell', () => {
    const many = Array.from({ length: 1500 }, (_, i) =>
      flow(i + 1, `${i % 7 === 0 ? '主' : 'h'.repeat(i % 60)}${'x'.repeat(i % 3)}:${i}`, `${i % 11 === 0 ? 'fe80::1' : `10.0.${i % 256}.1`}:${(i * 37) % 65536}`, {
        trailingBytes: i % 5 === 0 ? i * 1000 : 0, first: i * 10, last: i * 10 + (i % 13),
        ...(i % 4 === 0 ? { class: 'abort', detail: 'handshake', closer: 'server', resetBy: 'server' } : {}),
      }),
    );
    const text = drawn(tableOf(many));
    checkBox(text, many.length);
    expect(text).toContain('│ 主:0 ');
    expect(Buffer.byteLength(text)).toBeGreaterThan(256 * 1024); // more than a page: drawn through spill
  });

  it('draws the same with its rows spilled to a file, and closes it', () => {
    const many = Array.from({ length: 3000 }, (_, i) => flow(i + 1, `h${'主'.repeat(i % 5)}:${i}`, `${'x'.repeat(i % 90)}:1`));
    const openFiles = (): number => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    const spilled = tableOf(many, { chunkBytes: 200, spillBytes: 1000 });
    expect(openFiles()).toBe(before + 1); // the spill file
    const text = drawn(spilled); // and closed
    expect(openFiles()).toBe(before);
    expect(text).toBe(drawn(tableOf(many)));
    checkBox(text, many.length);
  });

  it('keeps its rows in memory when there is no temporary directory to spill to', () => {
    const many = Array.from({ length: 500 }, (_, i) => flow(i + 1, `${'h'.repeat(i % 50)}:1`, '10.0.0.1:80'));
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = '/nonexistent/teardown-tmp';
    try {
      expect(drawn(tableOf(many, { chunkBytes: 200, spillBytes: 1000 }))).toBe(drawn(tableOf(many)));
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });
});
