import { describe, expect, it } from 'vitest';
import { CaptureParser } from '../../src/capture/read.js';
import { ticksToTime, resolutionOf } from '../../src/capture/timestamp.js';
import { UnreadableCaptureError, type CaptureDamage, type CaptureInfo, type CaptureRecord } from '../../src/capture/record.js';
import { concat as cat, hex } from './bytes.js';
import { writer } from './pcapng-blocks.js';

const LE = writer(true);
const BE = writer(false);
const DATA = hex('dead beef 01');

interface Parsed {
  records: Array<Omit<CaptureRecord, 'data'> & { data: string }>;
  info: CaptureInfo | undefined;
  damage: CaptureDamage | undefined;
}

function parse(input: Uint8Array, size = input.length): Parsed {
  const parser = new CaptureParser('x.pcapng');
  const records: Parsed['records'] = [];
  const onRecord = (r: CaptureRecord): void => void records.push({ ...r, data: Buffer.from(r.data).toString('hex') });
  for (let at = 0; at < input.length; at += size) parser.push(input.subarray(at, at + size), onRecord);
  const damage = parser.end();
  return { records, info: parser.info, damage };
}

describe('pcapng blocks', () => {
  it('the block writer matches a hand-annotated little-endian capture', () => {
    const literal = hex(`
      0a0d 0d0a 1c00 0000 4d3c 2b1a 0100 0000 ffff ffff ffff ffff 1c00 0000   # SHB 28: BOM LE, 1.0, length -1
      0100 0000 1400 0000 0100 0000 0000 0000 1400 0000                       # IDB 20: EN10MB, snaplen 0
      0600 0000 2800 0000 0000 0000 0000 0000 4000 0000 0500 0000 0500 0000   # EPB 40: if 0, ts 0:64, caplen 5, len 5
      dead beef 0100 0000 2800 0000                                            #   data + pad, trailer
    `);
    expect(cat(LE.shb(), LE.idb(1), LE.epb(0, 64n, DATA))).toEqual(literal);
    expect(parse(literal).records).toEqual([
      { no: 1, offset: 48, linkType: 1, tsSec: 0, tsNsec: 64000, caplen: 5, origLen: 5, data: 'deadbeef01' },
    ]);
  });

  // Section 1 (little-endian): EN10MB in ns, an unknown block, EPB, SPB, OPB, ISB.
  // Section 2 (big-endian): interfaces reset; RAW with default µs and if_tsoffset 3600.
  const TWO_SECTIONS = cat(
    LE.shb(),
    LE.idb(1, LE.tsresol(9)),
    LE.block(0x0bad, hex('0102 0304')),
    LE.epb(0, 1700000000_123456789n, DATA, 1500),
    LE.spb(60, hex('0a0b 0c0d')), // SPB: caplen = min(60, block - 16) = 4
    LE.opb(0, 1700000001_000000000n, DATA),
    LE.isb(0, 1700000005_000000000n, 1700000009_500000000n),
    BE.shb(),
    BE.idb(101, BE.tsoffset(3600)),
    BE.epb(0, 1700000002_000001n, DATA),
  );
  const TWO_SECTIONS_RECORDS = [
    { no: 1, offset: 76, linkType: 1, tsSec: 1700000000, tsNsec: 123456789, caplen: 5, origLen: 1500, data: 'deadbeef01' },
    { no: 2, offset: 116, linkType: 1, tsSec: 0, tsNsec: 0, caplen: 4, origLen: 60, data: '0a0b0c0d' },
    { no: 3, offset: 136, linkType: 1, tsSec: 1700000001, tsNsec: 0, caplen: 5, origLen: 5, data: 'deadbeef01' },
    { no: 4, offset: 280, linkType: 101, tsSec: 1700003602, tsNsec: 1000, caplen: 5, origLen: 5, data: 'deadbeef01' },
  ];

  it('two sections in both byte orders, SPB, OPB, unknown block, ISB end time', () => {
    const got = parse(TWO_SECTIONS);
    expect(got.damage).toBeUndefined();
    expect(got.info).toEqual({ format: 'pcapng', linkTypes: [1, 101], endTime: { sec: 1700000009, nsec: 500000000 } });
    expect(got.records).toEqual(TWO_SECTIONS_RECORDS);
  });

  it('the same records whatever byte the input is split at, and pushed 1 byte at a time', () => {
    expect(parse(TWO_SECTIONS, 1).records).toEqual(TWO_SECTIONS_RECORDS);
    for (let cut = 0; cut <= TWO_SECTIONS.length; cut++) {
      const parser = new CaptureParser('x.pcapng');
      const got: string[] = [];
      const onRecord = (r: CaptureRecord): void => void got.push(`${r.no}@${r.offset}:${r.tsSec}.${r.tsNsec}:${Buffer.from(r.data).toString('hex')}`);
      parser.push(TWO_SECTIONS.subarray(0, cut), onRecord);
      parser.push(TWO_SECTIONS.subarray(cut), onRecord);
      expect(parser.end()).toBeUndefined();
      expect(got).toEqual(TWO_SECTIONS_RECORDS.map((r) => `${r.no}@${r.offset}:${r.tsSec}.${r.tsNsec}:${r.data}`));
    }
  });

  const resolutions: Array<[string, Uint8Array[], bigint, number, number]> = [
    ['default microseconds', [], 1700000000_123456n, 1700000000, 123456000],
    ['if_tsresol 6', [LE.tsresol(6)], 1700000000_123456n, 1700000000, 123456000],
    ['if_tsresol 9', [LE.tsresol(9)], 1700000000_999999999n, 1700000000, 999999999],
    ['if_tsresol 0 (seconds)', [LE.tsresol(0)], 1700000000n, 1700000000, 0],
    ['if_tsresol 3 (milliseconds)', [LE.tsresol(3)], 1700000000_042n, 1700000000, 42000000],
    ['if_tsresol 12 (picoseconds, truncated)', [LE.tsresol(12)], 10000000_123456789999n, 10000000, 123456789],
    ['if_tsresol 2^-3', [LE.tsresol(0x83)], 1700000000n * 8n + 3n, 1700000000, 375000000],
    ['if_tsresol 2^-32', [LE.tsresol(0xa0)], (1700000000n << 32n) + (1n << 31n), 1700000000, 500000000],
    ['if_tsoffset -100 with ns', [LE.tsresol(9), LE.tsoffset(-100)], 1700000000_000000001n, 1699999900, 1],
    ['all 64 bits set, ns', [LE.tsresol(9)], 0xffffffffffffffffn, 18446744073, 709551615],
    ['all 64 bits set, µs', [], 0xffffffffffffffffn, 18446744073709, 551615000],
  ];
  it.each(resolutions)('timestamps: %s', (_name, options, ticks, sec, nsec) => {
    const got = parse(cat(LE.shb(), LE.idb(1, ...options), LE.epb(0, ticks, DATA)));
    expect(got.records[0]).toMatchObject({ tsSec: sec, tsNsec: nsec });
  });

  it('timestamps: the base-2^16 long division agrees with BigInt for 10^-1 .. 10^-9', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
    const out = { tsSec: 0, tsNsec: 0 };
    for (let digits = 0; digits <= 9; digits++) {
      for (let i = 0; i < 500; i++) {
        const hi = rand() >>> (i % 32);
        const lo = rand();
        ticksToTime(hi, lo, resolutionOf(digits), 0, out);
        const ticks = (BigInt(hi) << 32n) | BigInt(lo);
        const d = 10n ** BigInt(digits);
        expect([out.tsSec, out.tsNsec]).toEqual([Number(ticks / d), Number((ticks % d) * 10n ** BigInt(9 - digits))]);
      }
    }
  });

  it('drops: each interface\'s latest isb_ifdrop + isb_osdrop, summed over interfaces; absent without them', () => {
    expect(parse(cat(LE.shb(), LE.idb(1), LE.isb(0, 0n, 5_000000n))).info?.dropped).toBeUndefined();
    const got = parse(cat(
      LE.shb(), LE.idb(1), LE.idb(1),
      LE.isb(0, 0n, 5_000000n, LE.drops(5, 3)),
      LE.isb(0, 0n, 6_000000n, LE.drops(5, 7), LE.drops(7, 2)), // totals since the start: the latest replaces 3
      LE.isb(1, 0n, 6_000000n, LE.drops(5, 5)),
    ));
    expect(got.info?.dropped).toBe(7 + 2 + 5);
    expect(parse(cat(BE.shb(), BE.idb(1), BE.isb(0, 0n, 5_000000n, BE.drops(5, 258)))).info?.dropped).toBe(258);
  });

  it('the latest ISB end time wins', () => {
    const got = parse(cat(LE.shb(), LE.idb(1), LE.isb(0, 0n, 5_000000n), LE.isb(0, 0n, 9_000001n), LE.isb(0, 0n, 7_000000n)));
    expect(got.info?.endTime).toEqual({ sec: 9, nsec: 1000 });
  });

  // Hostile input (docs/testing.md): a million interface blocks with distinct link types took 29 s
  // while each looked itself up in the list; the time is in docs/performance.md, not asserted here.
  it('many interface blocks with distinct link types: each link type once, in order of first appearance', () => {
    const n = 200_000;
    const linkTypeOf = (i: number): number => (i * 40503) & 0xffff; // every 16-bit value once in 65,536 blocks, then again
    const idbs = new Uint8Array(20 * n);
    const dv = new DataView(idbs.buffer);
    for (let i = 0; i < n; i++) {
      dv.setUint32(20 * i, 1, true);
      dv.setUint32(20 * i + 4, 20, true);
      dv.setUint16(20 * i + 8, linkTypeOf(i), true);
      dv.setUint32(20 * i + 16, 20, true);
    }
    const got = parse(cat(LE.shb(), idbs, LE.epb(n - 1, 0n, DATA), LE.shb(), LE.idb(7), LE.idb(linkTypeOf(5)), LE.epb(1, 0n, DATA)));
    expect(got.damage).toBeUndefined();
    expect(got.info?.linkTypes).toEqual(Array.from({ length: 65536 }, (_, i) => linkTypeOf(i)));
    expect(got.records.map((r) => r.linkType)).toEqual([linkTypeOf(n - 1), linkTypeOf(5)]);
  });
});

describe('pcapng damage', () => {
  const head = cat(LE.shb(), LE.idb(1), LE.epb(0, 0n, DATA)); // one good record, 88 bytes
  const cases: Array<[string, Uint8Array, string]> = [
    ['block length 8 < 12', hex('0600 0000 0800 0000'), 'block total length 8 is less than 12'],
    ['block length 30 not a multiple of 4', hex('0600 0000 1e00 0000'), 'block total length 30 is not a multiple of 4'],
    ['block length over 16 MiB', hex('0600 0000 0400 0001'), 'block total length 16777220 is more than 16777216 (16 MiB)'],
    ['trailer mismatch', hex('0bad 0000 1000 0000 0000 0000 1400 0000'), 'block trailing length 20 does not match its leading length 16'],
    ['EPB caplen beyond the block', LE.epb(0, 0n, DATA).map((b, i) => (i === 20 ? 9 : b)), 'packet block says 9 captured bytes, but the block holds 8'],
    ['EPB too short', cat(hex('0600 0000 1c00 0000'), new Uint8Array(16), hex('1c00 0000')),
      'enhanced packet block too short (28 bytes)'],
    ['EPB on an undescribed interface', LE.epb(1, 0n, DATA), 'packet on interface 1, but this section describes 1 interface'],
    ['record cut short', LE.epb(0, 0n, DATA).subarray(0, 30), 'record cut short: header says 40 bytes, 30 left'],
    ['block header cut short', hex('0600 0000 24'), 'record cut short: 5 bytes left, less than an 8-byte block header'],
  ];
  it.each(cases)('%s: damage at the block, earlier records delivered', (_name, tail, message) => {
    for (const size of [1, 7, 1 << 20]) {
      // A block cut short must be the last thing in the input; other damage is followed by a good block.
      const after = message.startsWith('record cut short') ? new Uint8Array(0) : LE.epb(0, 0n, DATA);
      const got = parse(cat(head, tail, after), size);
      expect(got.records.map((r) => r.no)).toEqual([1]);
      expect(got.damage).toEqual({ file: 'x.pcapng', offset: 88, packet: 2, message });
    }
  });

  it('interfaces are reset by a new section', () => {
    const got = parse(cat(head, BE.shb(), BE.epb(0, 0n, DATA)));
    expect(got.damage).toMatchObject({ offset: 116, packet: 2, message: 'packet on interface 0, but this section describes 0 interfaces' });
  });

  it('a bad option does not damage the capture', () => {
    const idb = LE.idb(1, LE.tsresol(9));
    idb[18] = 0xff; // option length 255 runs past the block: options ignored, µs default
    const got = parse(cat(LE.shb(), idb, LE.epb(0, 1_000001n, DATA)));
    expect(got.damage).toBeUndefined();
    expect(got.records[0]).toMatchObject({ tsSec: 1, tsNsec: 1000 });
  });

  const unreadable: Array<[string, Uint8Array, string]> = [
    ['section header with a bad byte-order magic', cat(hex('0a0d 0d0a 1c00 0000 1234 5678'), new Uint8Array(16)),
      'x.pcapng: not a capture file: section header byte-order magic is 12345678, expected 1a2b3c4d in either byte order'],
    ['section header version 2', LE.shb().map((b, i) => (i === 12 ? 2 : b)),
      'x.pcapng: not a capture file: unsupported pcapng version 2.0 (expected 1.x)'],
  ];
  it.each(unreadable)('%s throws UnreadableCaptureError', (_name, input, message) => {
    expect(() => parse(input)).toThrow(new UnreadableCaptureError(message));
  });

  it('a first section header cut short throws at end()', () => {
    expect(() => parse(LE.shb().subarray(0, 20))).toThrow('x.pcapng: not a capture file: only 20 bytes, a file header cut short');
  });
});
