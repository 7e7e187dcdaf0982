import { describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../src/flow/store.js';

/** Every typed-array field of a store: the columns (a column missing from COLUMNS would not be copied). */
function columnNames(s: ConnectionStore): string[] {
  return Object.entries(s).filter(([, v]) => ArrayBuffer.isView(v)).map(([k]) => k).sort();
}

function filled(slots: number): ConnectionStore {
  const s = new ConnectionStore();
  for (let i = 0; i < slots; i++) s.allocate();
  // A distinct value in every element of every column (wrapped to the column's type).
  let x = 1;
  for (const [, v] of Object.entries(s)) if (ArrayBuffer.isView(v)) for (let i = 0; i < (v as Uint8Array).length; i++) (v as Uint8Array)[i] = x++ % 200;
  return s;
}

describe('ConnectionStore.copySlots / fromCopy (the report helper thread\'s input)', () => {
  it('copies every column of the slots asked for, in their order, consecutive or not', () => {
    const s = filled(3000);
    s.addToList(5 * 6 + 2, 77);
    s.addToList(5 * 6 + 2, 78);
    s.addToList(5 * 6 + 2, 79);
    s.setExtra(7, { key: 'k', clientText: '2001:db8::1', serverText: '2001:db8::2' });
    const slots = [7, 5, 100, 101, 102, 103, 104, 2999, 0];
    const copy = ConnectionStore.fromCopy(s.copySlots(slots));
    expect(columnNames(copy)).toEqual(columnNames(s));
    const from = s as unknown as Record<string, Uint8Array>;
    const to = copy as unknown as Record<string, Uint8Array>;
    for (const name of columnNames(s)) {
      const per = (from[name] as Uint8Array).length / (from['active'] as Uint8Array).length;
      slots.forEach((slot, i) => {
        for (let k = 0; k < per; k++) expect([name, (to[name] as Uint8Array)[i * per + k]]).toEqual([name, (from[name] as Uint8Array)[slot * per + k]]);
      });
    }
    // Slot 5 is now slot 1: its list cells are 1 * 6 + l.
    expect(copy.listLength(1 * 6 + 2)).toBe(s.listLength(5 * 6 + 2));
    expect([0, 1, 2].map((i) => copy.listItem(1 * 6 + 2, i))).toEqual([0, 1, 2].map((i) => s.listItem(5 * 6 + 2, i)));
    expect(copy.extra(0)).toEqual({ clientText: '2001:db8::1', serverText: '2001:db8::2' });
  });
});
