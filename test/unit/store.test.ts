import { describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../src/flow/store.js';

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
});
