import { readdirSync } from 'node:fs';
import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { BoxTable } from '../../src/render/box.js';
import { ByteLines } from '../../src/render/byte-lines.js';

function drawn(head: string[], rows: string[][]): string {
  const box = new BoxTable(head);
  for (const r of rows) box.addRow(r);
  const out = new ByteLines();
  const pages: Buffer[] = [];
  box.draw(out, (full) => pages.push(full.take()));
  pages.push(out.take());
  return Buffer.concat(pages).toString('utf8');
}

function cliTable3(head: string[], rows: string[][]): string {
  const ref = new Table({ head, style: { head: [], border: [] } });
  ref.push(...rows);
  return ref.toString() + '\n';
}

/** BoxTable stands in for cli-table3 on large summaries: it must draw the very same table. */
describe('BoxTable draws what cli-table3 draws', () => {
  const head = ['#', 'Client', 'Server', 'Class', 'Packets'];
  const rows = [
    ['1', '127.0.0.1:50962', '127.0.0.1:12000', 'rst-after-close', '#1–#13'],
    ['2', '[2001:db8::1]:443', '[::1]:12013', '', '#14–#2000'],
    ['10', 'a', 'b → c', 'graceful', ''],
    ['11', '主机:80', 'ü', '😀', 'x\u0301'],
  ];

  it('for the same rows, byte for byte', () => {
    expect(drawn(head, rows)).toBe(cliTable3(head, rows));
  });

  it('for more rows than a kept chunk (1 MiB) and a drawn page (120 KiB) hold', () => {
    const many = Array.from({ length: 1500 }, (_, i) => [String(i), `${i % 7 === 0 ? '主' : 'h'}`.repeat(i % 700), 'x'.repeat(i % 900), rows[i % 4]?.[3] ?? '', `#${i}–#${i * 3}`]);
    expect(Buffer.byteLength(many.flat().join('\t'))).toBeGreaterThan(1024 * 1024);
    expect(drawn(head, many)).toBe(cliTable3(head, many));
  });

  it('the same with its rows spilled to a file (tiny chunks, a few kept in memory)', () => {
    const many = Array.from({ length: 3000 }, (_, i) => [String(i), `h${'主'.repeat(i % 5)}`, 'x'.repeat(i % 90), rows[i % 4]?.[3] ?? '', `#${i}–#${i * 3}`]);
    const openFiles = (): number => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    const box = new BoxTable(head, { chunkBytes: 200, spillBytes: 1000 });
    for (const r of many) box.addRow(r);
    expect(openFiles()).toBe(before + 1); // the spill file
    const out = new ByteLines();
    const pages: Buffer[] = [];
    box.draw(out, (full) => pages.push(full.take()));
    pages.push(out.take());
    expect([...box.textRows()]).toEqual(many);
    box.close();
    expect(openFiles()).toBe(before);
    expect(Buffer.concat(pages).toString('utf8')).toBe(drawn(head, many));
  });

  it('the same with no temporary directory to spill to: the rows stay in memory', () => {
    const many = Array.from({ length: 500 }, (_, i) => [String(i), 'h'.repeat(i % 50), 'x', '', `#${i}`]);
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = '/nonexistent/teardown-tmp';
    try {
      const box = new BoxTable(head, { chunkBytes: 200, spillBytes: 1000 });
      for (const r of many) box.addRow(r);
      expect([...box.textRows()]).toEqual(many);
      box.close();
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });

  it('gives back the rows it keeps', () => {
    const box = new BoxTable(head);
    for (const r of rows) box.addRow(r);
    box.addRow(['only one']);
    expect([...box.textRows()]).toEqual([...rows, ['only one', '', '', '', '']]);
    expect(box.rowCount).toBe(5);
  });
});
