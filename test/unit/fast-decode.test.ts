import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/read.js';
import type { CaptureRecord } from '../../src/capture/record.js';
import { decode } from '../../src/decode/decode.js';
import { SegmentDecoder } from '../../src/decode/fast.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

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

/**
 * The packet as a reader gives it: its bytes at `at` in a larger buffer whose other bytes are 0xff,
 * so that a read past the record's end would find values, not the end of the buffer.
 */
function placed(p: Packet, at: number): CaptureRecord {
  const bytes = new Uint8Array(at + p.data.length + 64).fill(0xff);
  bytes.set(p.data, at);
  return {
    no: 3, offset: 0, linkType: p.linkType, tsSec: 1700000000, tsNsec: 5000, caplen: p.data.length,
    origLen: p.data.length, data: bytes.subarray(at, at + p.data.length), bytes, at,
  };
}

/** What SegmentDecoder makes of a record, in decode()'s terms. */
function fastly(decoder: SegmentDecoder, r: CaptureRecord): unknown {
  const reason = decoder.decode(r);
  if (reason !== undefined) return reason;
  const s = decoder.segment;
  const v4 = s.ipVersion === 4 ? { srcV4: s.srcV4, dstV4: s.dstV4 } : {};
  return {
    no: s.no, tsSec: s.tsSec, tsNsec: s.tsNsec, ipVersion: s.ipVersion, src: s.src, dst: s.dst, ...v4,
    srcPort: s.srcPort, dstPort: s.dstPort, seq: s.seq, ack: s.ack, flags: s.flags, window: s.window,
    urgent: s.urgent, payloadLen: s.payloadLen, options: s.options,
  };
}

/** decode()'s answer, with the IPv4 addresses as the signed integers the fast path keeps. */
function fully(r: CaptureRecord): unknown {
  const d = decode(r);
  if (d.kind !== 'tcp') return d.reason;
  const { src, dst, ipVersion } = d.segment;
  const asInt = (text: string): number => text.split('.').reduce((n, part) => (n << 8) | Number(part), 0) | 0;
  const v4 = ipVersion === 4 ? { srcV4: asInt(src), dstV4: asInt(dst) } : {};
  const s = d.segment;
  return {
    no: s.no, tsSec: s.tsSec, tsNsec: s.tsNsec, ipVersion, src, dst, ...v4, srcPort: s.srcPort, dstPort: s.dstPort,
    seq: s.seq, ack: s.ack, flags: s.flags, window: s.window, urgent: s.urgent, payloadLen: s.payloadLen, options: s.options,
  };
}

// The fast path (decode/fast.ts) must give the full decoder's answer for every record, whatever
// its bytes: it reads fields in place, so a bounds check it missed would read the bytes after it.
describe('SegmentDecoder agrees with decode()', () => {
  it('on every fixture record, in a buffer and as data alone', async () => {
    const decoder = new SegmentDecoder();
    for (const p of await fixturePackets()) {
      const r = placed(p, 5);
      expect(fastly(decoder, r)).toEqual(fully(r));
      const alone: CaptureRecord = { ...r, bytes: undefined, at: undefined, data: p.data };
      expect(fastly(decoder, alone)).toEqual(fully(alone));
    }
  });

  it('on fixture records cut short and with bytes changed', async () => {
    const packets = await fixturePackets();
    const decoder = new SegmentDecoder();
    fc.assert(fc.property(
      fc.integer({ min: 0, max: packets.length - 1 }),
      fc.array(fc.tuple(fc.nat(80), fc.nat(255)), { maxLength: 4 }),
      fc.nat(100),
      (which, changes, cut) => {
        const p = packets[which];
        if (p === undefined) return;
        const data = p.data.slice(0, Math.max(0, p.data.length - cut));
        for (const [at, value] of changes) if (at < data.length) data[at] = value;
        const r = placed({ linkType: p.linkType, data }, 3);
        expect(fastly(decoder, r)).toEqual(fully(r));
      },
    ), { numRuns: 3000 });
  });
});
