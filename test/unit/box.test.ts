import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { BoxTable } from '../../src/render/box.js';

/** BoxTable stands in for cli-table3 on large summaries: it must draw the very same table. */
describe('BoxTable draws what cli-table3 draws', () => {
  const head = ['#', 'Client', 'Server', 'Class', 'Packets'];
  const rows = [
    ['1', '127.0.0.1:50962', '127.0.0.1:12000', 'rst-after-close', '#1–#13'],
    ['2', '[2001:db8::1]:443', '[::1]:12013', '', '#14–#2000'],
    ['10', 'a', 'b → c', 'graceful', ''],
  ];

  it('for the same rows, byte for byte', () => {
    const ref = new Table({ head, style: { head: [], border: [] } });
    ref.push(...rows);
    const box = new BoxTable(head);
    for (const r of rows) box.measure(r);
    expect([...box.draw(rows)].join('\n')).toBe(ref.toString());
  });
});
