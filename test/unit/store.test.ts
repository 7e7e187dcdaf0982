import { describe, expect, it } from 'vitest';
import { ConnectionStore, K } from '../../src/flow/store.js';

/** What a slot holds, written and read back: its id, a port, a side's byte count and a packet list. */
function fill(s: ConnectionStore, slots: number): void {
  for (let i = 0; i < slots; i++) {
    const slot = s.allocate();
    s.id[slot] = i + 1;
    s.clientPort[slot] = i % 65536;
    s.bytes[slot * 2 + 1] = i * 3;
    s.addToList(slot * 6, i);
  }
}

function readBack(s: ConnectionStore, slots: number): boolean {
  for (let slot = 0; slot < slots; slot++) {
    if (s.id[slot] !== slot + 1 || s.clientPort[slot] !== slot % 65536 || s.bytes[slot * 2 + 1] !== slot * 3) return false;
    if (s.list(slot * 6)[0] !== slot) return false;
  }
  return true;
}

describe('the connection store (store.ts)', () => {
  it('keeps every slot across its doublings, reserved room or not', () => {
    for (const reserved of [0, 3, 5000, 20_000]) {
      const s = new ConnectionStore();
      s.reserve(reserved);
      fill(s, 10_000);
      expect(s.top).toBe(10_000);
      expect(readBack(s, 10_000)).toBe(true);
    }
  });

  it('gives a freed slot back reset, whatever was reserved', () => {
    const s = new ConnectionStore();
    s.reserve(100);
    fill(s, 50);
    s.release(7);
    expect(s.allocate()).toBe(7);
    expect(s.bytes[7 * 2 + 1]).toBe(0);
    expect(s.listLength(7 * 6)).toBe(0);
  });

  it('resets only the freed slot\'s lists: the next slot\'s stay', () => {
    const s = new ConnectionStore();
    fill(s, 3);
    s.addToList(1 * 6 + 5, 11);
    s.addToList(2 * 6, 21);
    s.release(1);
    expect(s.allocate()).toBe(1);
    expect([s.listLength(1 * 6 + 5), s.list(2 * 6)]).toEqual([0, [2, 21]]);
  });
});

/** The store's private maps (the Extra and the lists of two or more), read to check what a release frees. */
function mapSize(s: ConnectionStore, name: 'extras' | 'longLists'): number {
  const map: unknown = Reflect.get(s, name);
  if (!(map instanceof Map)) throw new Error(`ConnectionStore has no Map ${name}: update this test`);
  return map.size;
}

describe('the store\'s slots, Extra and lists', () => {
  it('a slot released twice is handed out once', () => {
    const s = new ConnectionStore();
    fill(s, 3);
    s.release(1);
    s.release(1);
    const a = s.allocate();
    const b = s.allocate();
    expect([a, b]).toEqual([1, 3]);
  });

  it('lists keep every packet in order, one, two or more, each list and side apart', () => {
    const s = new ConnectionStore();
    const slot = s.allocate();
    const cells = Array.from({ length: 2 * K.LISTS }, (_, i) => slot * 2 * K.LISTS + i);
    cells.forEach((at, i) => {
      for (let k = 0; k <= i; k++) s.addToList(at, 100 * i + k);
    });
    cells.forEach((at, i) => {
      expect(s.listLength(at)).toBe(i + 1);
      expect(s.list(at)).toEqual(Array.from({ length: i + 1 }, (_, k) => 100 * i + k));
    });
    // A list read back is not changed by later additions.
    const before = s.list(cells[3] as number);
    s.addToList(cells[3] as number, 999);
    expect(before).toEqual([300, 301, 302, 303]);
  });

  it('a release frees the slot\'s Extra and long lists, and only its own', () => {
    const s = new ConnectionStore();
    const slots = [s.allocate(), s.allocate(), s.allocate()];
    for (const slot of slots) {
      s.setExtra(slot, { key: `k${slot}` });
      for (let l = slot * 2 * K.LISTS; l < (slot + 1) * 2 * K.LISTS; l++) for (let k = 0; k < 3; k++) s.addToList(l, l * 10 + k);
    }
    expect(mapSize(s, 'extras')).toBe(3);
    expect(mapSize(s, 'longLists')).toBe(3 * 2 * K.LISTS);
    s.release(1);
    expect(mapSize(s, 'extras')).toBe(2);
    expect(mapSize(s, 'longLists')).toBe(2 * 2 * K.LISTS);
    for (const slot of [0, 2]) {
      expect(s.extra(slot)).toEqual({ key: `k${slot}` });
      for (let l = slot * 2 * K.LISTS; l < (slot + 1) * 2 * K.LISTS; l++) expect(s.list(l)).toEqual([l * 10, l * 10 + 1, l * 10 + 2]);
    }
    // Reused, the slot has neither.
    expect(s.allocate()).toBe(1);
    expect(s.extra(1)).toBeUndefined();
    for (let l = 2 * K.LISTS; l < 4 * K.LISTS; l++) expect(s.list(l)).toEqual([]);
  });

  it('a release of a slot with short lists only, or no Extra, leaves the others\' alone', () => {
    const s = new ConnectionStore();
    const [a, b] = [s.allocate(), s.allocate()];
    s.addToList(a * 2 * K.LISTS, 1);
    s.setExtra(b, { key: 'b' });
    for (let k = 0; k < 2; k++) s.addToList(b * 2 * K.LISTS, k);
    s.release(a);
    expect(s.extra(b)).toEqual({ key: 'b' });
    expect(s.list(b * 2 * K.LISTS)).toEqual([0, 1]);
    expect(mapSize(s, 'longLists')).toBe(1);
  });

  it('reserve makes the columns that long at once, rounding up, and never shrinks or copies them again', () => {
    const s = new ConnectionStore();
    s.reserve(1500.5);
    expect(s.id.length).toBe(1501);
    expect(s.state.length).toBe(3002);
    const id = s.id;
    s.reserve(1501);
    s.reserve(100);
    expect(s.id).toBe(id);
    fill(s, 1501);
    expect(s.id).toBe(id);
    s.allocate();
    expect(s.id.length).toBe(3002);
    expect(readBack(s, 1501)).toBe(true);
  });
});
