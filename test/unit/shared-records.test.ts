import { describe, expect, it } from 'vitest';
import { CaptureParser } from '../../src/capture/read.js';
import { BatchReader, BatchWriter, newBatch } from '../../src/capture/shared-records.js';

/** A pcap of `n` records of `bytes` each (record k's first byte is k, its time k s + k µs). */
function pcap(n: number, bytes: number): Uint8Array {
  const b = Buffer.alloc(24 + n * (16 + bytes));
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(1, 20);
  for (let k = 0; k < n; k++) {
    const at = 24 + k * (16 + bytes);
    b.writeUInt32LE(k, at);
    b.writeUInt32LE(k, at + 4);
    b.writeUInt32LE(bytes, at + 8);
    b.writeUInt32LE(bytes + 1, at + 12);
    b[at + 16] = k & 0xff;
  }
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

describe('shared batches', () => {
  it('give the workers every record by index, the one split across pieces included, with its lane (up to 256 shards)', () => {
    const input = pcap(50, 100);
    const writer = new BatchWriter(newBatch(), (r) => (r.no % 2 === 0 ? 200 : -1));
    const parser = new CaptureParser('x.pcap');
    // Pieces that cut records in two: the parser carries those over, the writer copies them in.
    for (let at = 0; at < input.length; at += 333) parser.push(writer.take(input.subarray(at, at + 333)), writer.add);
    expect(parser.end()).toBeUndefined();
    expect(writer.count).toBe(50);
    const reader = new BatchReader(writer.batch);
    const own: number[] = [];
    const other: number[] = [];
    reader.each(writer.count, writer.firstNo, 200, (r, lane) => {
      expect(r.data[0]).toBe((r.no - 1) & 0xff);
      expect([r.tsSec, r.tsNsec, r.caplen, r.origLen, r.linkType]).toEqual([r.no - 1, (r.no - 1) * 1000, 100, 101, 1]);
      own.push(lane);
    }, (_no, sec) => other.push(sec));
    expect(own).toEqual(Array.from({ length: 50 }, (_, k) => ((k + 1) % 2 === 0 ? 200 : -1)));
    expect(other).toEqual([]);
    reader.each(writer.count, writer.firstNo, 3, () => undefined, (no, sec, nsec) => {
      expect(no).toBe(sec + 1);
      other.push(sec * 1e6 + nsec / 1000);
    });
    expect(other).toEqual(Array.from({ length: 25 }, (_, k) => (2 * k + 1) * 1e6 + 2 * k + 1));
  });
});
