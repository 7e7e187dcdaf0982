import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/read.js';
import { SegmentDecoder } from '../../src/decode/decoder.js';
import { plainTcpTuple } from '../../src/decode/plain.js';
import type { PlainTuple } from '../../src/decode/plain.js';
import { FIXTURES, fixtureCaptures } from './fixtures.js';

/**
 * decode/plain.ts reads a plain TCP packet's 4-tuple without the decoder; `--jobs` trusts it to
 * say yes only where the decoder makes a segment with that 4-tuple (else a worker would count a
 * packet the decoder skips, or place it in the wrong shard). Held to the decoder on every record of
 * every fixture, and on headers changed one field at a time.
 */
describe('plainTcpTuple', () => {
  it('says yes only where the decoder makes a segment with the same 4-tuple, on every fixture', async () => {
    let yes = 0;
    let no = 0;
    for (const name of fixtureCaptures()) {
      const decoder = new SegmentDecoder();
      const t: PlainTuple = { srcV4: 0, dstV4: 0, srcPort: 0, dstPort: 0 };
      await readCaptureFile(join(FIXTURES, name), (r) => {
        const plain = plainTcpTuple(r, t);
        const skipped = decoder.decode(r);
        if (!plain) {
          no++;
          return;
        }
        yes++;
        const s = decoder.segment;
        expect(skipped, `${name} #${r.no}`).toBeUndefined();
        expect({ srcV4: s.srcV4, dstV4: s.dstV4, srcPort: s.srcPort, dstPort: s.dstPort }, `${name} #${r.no}`).toEqual(t);
      });
    }
    expect(yes).toBeGreaterThan(500);
    expect(no).toBeGreaterThan(10);
  });

  it('leaves what it does not read whole to the decoder', () => {
    // Ethernet, IPv4 (20 bytes, total length 40), TCP (data offset 5): a plain SYN.
    const base = (): Uint8Array => {
      const d = new Uint8Array(54);
      d.set([0x08, 0x00], 12);
      d.set([0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
      d.set([0x30, 0x39, 0x00, 0x50], 34);
      d[46] = 0x50;
      d[47] = 0x02;
      return d;
    };
    const record = (d: Uint8Array, linkType = 1) => ({ no: 1, offset: 0, linkType, tsSec: 0, tsNsec: 0, caplen: d.length, origLen: d.length, data: d, bytes: d, at: 0 });
    const t: PlainTuple = { srcV4: 0, dstV4: 0, srcPort: 0, dstPort: 0 };
    expect(plainTcpTuple(record(base()), t)).toBe(true);
    expect(t).toEqual({ srcV4: 0x0a000001, dstV4: 0x0a000002, srcPort: 12345, dstPort: 80 });
    const changed = (at: number, value: number): Uint8Array => {
      const d = base();
      d[at] = value;
      return d;
    };
    const cases: Array<[string, Uint8Array, number?]> = [
      ['VLAN tag', changed(12, 0x81)],
      ['IPv6', changed(14, 0x60)],
      ['IPv4 header of 16 bytes', changed(14, 0x44)],
      ['options past the capture', changed(14, 0x4f)],
      ['total length shorter than the header', changed(17, 10)],
      ['more fragments', changed(20, 0x20)],
      ['a fragment offset', changed(21, 1)],
      ['UDP', changed(23, 17)],
      ['TCP data offset 4', changed(46, 0x40)],
      ['TCP header longer than the IP payload', changed(46, 0x60)],
      ['another link', base(), 101],
    ];
    for (const [what, d, link] of cases) {
      expect(plainTcpTuple(record(d, link), t), what).toBe(false);
    }
    expect(plainTcpTuple(record(base().subarray(0, 50)), t), 'TCP header cut').toBe(false);
  });
});
