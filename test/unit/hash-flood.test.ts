import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ipv4SlotIndex, setTupleHashKey, tupleHash } from '../../src/flow/slot-index.js';
import { portsFor } from './tuple-hash.js';
import { headerPcap } from './writer.js';
import { ConnectionStore } from '../../src/flow/store.js';
import { analyzeInProcess } from '../golden/run-analyze.js';

/**
 * Hash flooding (docs/testing.md, "Hostile input"): a capture whose 4-tuples all share one hash
 * makes every lookup walk one probe cluster. The index's hash is keyed with a per-process secret
 * (slot-index.ts): here the secret is fixed, a collision set is computed by inverting the hash
 * under it, and the same set is shown to spread under another secret, which is what an attacker
 * without the secret faces. The secret must never change the output.
 */

const KEY_A = [0x12345678, -0x2468ace0, 0x0badf00d, 0x31415926, -0x5a5a5a5b];
const KEY_B = [0x7ec0de00, 0x13572468, -0x10203040, 0x2718281, 0x600df00d];

type Tuple = [number, number, number, number];

/** `n` distinct 4-tuples (client lo, server hi) that all hash to `target` under `key`. */
function collisions(key: readonly number[], n: number, target: number): Tuple[] {
  const out: Tuple[] = [];
  for (let i = 0; out.length < n; i++) {
    const lo = 0x0a000000 + i;
    const hi = 0x0a800000 + (i % 7);
    const w = portsFor(key, lo, hi, target);
    out.push([lo, w >>> 16, hi, w & 0xffff]);
  }
  return out;
}

function indexOf(tuples: readonly Tuple[]): Ipv4SlotIndex {
  const store = new ConnectionStore();
  const index = new Ipv4SlotIndex(store);
  for (const [a, aPort, b, bPort] of tuples) {
    const slot = store.allocate();
    store.clientAddr[slot] = a;
    store.clientPort[slot] = aPort;
    store.serverAddr[slot] = b;
    store.serverPort[slot] = bPort;
    index.add(slot);
  }
  return index;
}

/** A classic pcap of one SYN per tuple (Ethernet, IPv4, TCP). */
function synCapture(tuples: readonly Tuple[]): Buffer {
  return headerPcap(tuples.map(([src, srcPort, dst, dstPort], i) => ({ sec: 1000, usec: i, src, dst, srcPort, dstPort, seq: i, ack: 0, flags: 0x02 })), tuples.length);
}

const dir = mkdtempSync(join(tmpdir(), 'teardown-flood-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hash flooding (the 4-tuple index, slot-index.ts)', () => {
  it('a collision set computed with the secret shares one hash under it, and spreads under another', () => {
    const n = 4000;
    setTupleHashKey(KEY_A);
    const set = collisions(KEY_A, n, 0x5eed);
    expect(new Set(set.map((t) => t.join())).size).toBe(n);
    for (const t of set) expect(tupleHash(...t)).toBe(0x5eed);
    // Under its key, the set is one cluster: the last entry added sits n - 1 cells from home.
    expect(indexOf(set).longestProbe()).toBe(n - 1);

    setTupleHashKey(KEY_B);
    expect(new Set(set.map((t) => tupleHash(...t))).size).toBeGreaterThan(n - 5);
    // Under another key, it is as good as random tuples: 4,000 entries in 16,384 cells.
    expect(indexOf(set).longestProbe()).toBeLessThan(40);
  });

  it('the report does not depend on the secret', async () => {
    setTupleHashKey(KEY_A);
    const set = collisions(KEY_A, 3000, 77);
    // The colliding SYNs, then again with their answers mixed in: connections found and reused.
    const file = join(dir, 'flood.pcap');
    writeFileSync(file, synCapture([...set, ...set.slice(0, 500).map(([a, ap, b, bp]): Tuple => [b, bp, a, ap])]));
    const runs = [];
    for (const key of [KEY_A, KEY_B]) {
      setTupleHashKey(key);
      runs.push(await analyzeInProcess(file, { format: 'ndjson' }));
      runs.push(await analyzeInProcess(file, { format: 'text', packetsForced: true }));
    }
    expect(runs[0]?.code).toBe(0);
    expect(runs[0]?.stdout.split('\n').length).toBeGreaterThan(3000);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[3]).toEqual(runs[1]);
  });
});
