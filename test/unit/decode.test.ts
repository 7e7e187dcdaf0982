/**
 * decode(), the library's pure function over the one decoder, and the decoder on any bytes: it
 * never throws, and it reads nothing past a record's end. Each layer's cases are in
 * decode-link, decode-ip and decode-tcp.test.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/read.js';
import { decode } from '../../src/decode/decode.js';
import { SegmentDecoder } from '../../src/decode/decoder.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { concat as cat, hex } from './bytes.js';
import { IPV4_SYN, SYN_OPTIONS, decodeRecord, placed, record } from './decoding.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

describe('decode(): a value the caller keeps', () => {
  it('a segment: the TcpSegment fields as plain properties, nothing borrowed', () => {
    const data = cat(hex('0200 0000 0002 0200 0000 0001 8100 0064 0800'), IPV4_SYN);
    const result = decode(record(1, data));
    data.fill(0);
    expect(result).toStrictEqual({
      kind: 'tcp',
      segment: {
        no: 7, tsSec: 1700000000, tsNsec: 123456000, ipVersion: 4, src: '192.168.0.1', dst: '192.168.0.2',
        srcPort: 54210, dstPort: 80, seq: 40960, ack: 0, flags: TcpFlag.SYN, window: 64240, urgent: 0, payloadLen: 0, ttl: 64, headerCut: false, options: SYN_OPTIONS,
      },
    });
  });

  it('a skip: the reason and its message', () => {
    expect(decode(record(1, hex('ffff ffff ffff 0200 0000 0001 0806 0001')))).toStrictEqual({
      kind: 'skipped', reason: 'not-ip', detail: 'ethertype 0x0806 (ARP)',
    });
  });
});

interface Packet {
  linkType: number;
  data: Uint8Array;
}

/** Every record of every fixture, copied out of the reader's buffer. */
async function fixturePackets(): Promise<Packet[]> {
  const packets: Packet[] = [];
  for (const name of readdirSync(FIXTURES).filter((n) => /\.pcap(ng)?$/.test(n))) {
    await readCaptureFile(join(FIXTURES, name), (r) => packets.push({ linkType: r.linkType, data: r.data.slice() }));
  }
  return packets;
}

// The decoder reads fields in place, in the reader's buffer: a bounds check it missed would read
// the bytes after the record (0xff here) instead of failing, and give another answer.
describe('the decoder reads nothing past a record\'s end', () => {
  it('every fixture record gives the same answer in a buffer as alone', async () => {
    // Two decoders fed alike: each holds the fragments it has seen (fragments.ts).
    const buffered = new SegmentDecoder();
    const alone = new SegmentDecoder();
    for (const p of await fixturePackets()) {
      const inBuffer = decodeRecord(placed(p.linkType, p.data, 5), buffered);
      expect(decodeRecord(record(p.linkType, p.data), alone)).toEqual(inBuffer);
    }
  });

  it('so do fixture records cut short and with bytes changed, under any link type', async () => {
    const packets = await fixturePackets();
    const buffered = new SegmentDecoder();
    const alone = new SegmentDecoder();
    fc.assert(fc.property(
      fc.integer({ min: 0, max: packets.length - 1 }),
      fc.array(fc.tuple(fc.nat(80), fc.nat(255)), { maxLength: 4 }),
      fc.nat(100),
      fc.option(fc.constantFrom(0, 1, 12, 101, 108, 113, 228, 229, 276), { freq: 3 }),
      (which, changes, cut, linkType) => {
        const p = packets[which];
        if (p === undefined) return;
        const data = p.data.slice(0, Math.max(0, p.data.length - cut));
        for (const [at, value] of changes) if (at < data.length) data[at] = value;
        const lt = linkType ?? p.linkType;
        const inBuffer = decodeRecord(placed(lt, data, 3), buffered);
        expect(decodeRecord(record(lt, data), alone)).toEqual(inBuffer);
      },
    ), { numRuns: 3000 });
  });

  it('and never throws on random bytes, whatever the link type', () => {
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    for (const linkType of [0, 1, 12, 101, 108, 113, 228, 229, 276]) {
      for (let i = 0; i < 2000; i++) {
        const data = Uint8Array.from({ length: rand() % 120 }, () => rand() & 0xff);
        if (i % 3 === 0 && data.length > 20) data[0] = (data[0] ?? 0) & 0x0f | 0x40; // reach deeper layers
        expect(() => decodeRecord(placed(linkType, data, i % 7))).not.toThrow();
      }
    }
  });
});
