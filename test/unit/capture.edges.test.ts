import { mkdtempSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureParser, readCaptureFile, readCaptureStream, STDIN_NAME } from '../../src/capture/read.js';
import { resolutionOf, ticksToTime } from '../../src/capture/timestamp.js';
import { UnreadableCaptureError, type CaptureInfo, type CaptureRecord } from '../../src/capture/record.js';
import { concat as cat, hex } from './bytes.js';

/**
 * The reading stage at its edges: boundaries (a length exactly at a limit), the less common
 * blocks and options of pcapng, the parser's life cycle, and the file reader's errors. Each row is
 * what a mistake in one comparison or branch of capture/ would change.
 */

const le32 = (n: number): Uint8Array => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n >>> 0, true); return b; };
const le16 = (n: number): Uint8Array => { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, n, true); return b; };
const le64 = (n: bigint): Uint8Array => { const b = new Uint8Array(8); new DataView(b.buffer).setBigInt64(0, n, true); return b; };
const pad = (b: Uint8Array): Uint8Array => cat(b, new Uint8Array((4 - (b.length % 4)) % 4));
const block = (type: number, ...body: Uint8Array[]): Uint8Array => {
  const inner = pad(cat(...body));
  return cat(le32(type), le32(12 + inner.length), inner, le32(12 + inner.length));
};
const option = (code: number, value: Uint8Array): Uint8Array => cat(le16(code), le16(value.length), pad(value));
const END = le32(0);
const SHB = block(0x0a0d0d0a, le32(0x1a2b3c4d), le16(1), le16(0), le64(-1n));
const idb = (linkType: number, snaplen: number, ...options: Uint8Array[]): Uint8Array => block(1, le16(linkType), le16(0), le32(snaplen), ...options);
const ticks = (t: bigint): Uint8Array => cat(le32(Number(t >> 32n)), le32(Number(t & 0xffffffffn)));
const epb = (iface: number, t: bigint, data: Uint8Array): Uint8Array => block(6, le32(iface), ticks(t), le32(data.length), le32(data.length), data);
const spb = (origLen: number, data: Uint8Array): Uint8Array => block(3, le32(origLen), data);
const isb = (iface: number, ...options: Uint8Array[]): Uint8Array => block(5, le32(iface), ticks(0n), ...options);
const DATA = hex('dead beef');

interface Parsed {
  records: Array<{ no: number; tsSec: number; tsNsec: number; caplen: number; origLen: number; data: string }>;
  info: CaptureInfo | undefined;
  damage: string | undefined;
}

function parse(input: Uint8Array, name = 'x'): Parsed {
  const parser = new CaptureParser(name);
  const records: Parsed['records'] = [];
  parser.push(input, (r) => void records.push({ no: r.no, tsSec: r.tsSec, tsNsec: r.tsNsec, caplen: r.caplen, origLen: r.origLen, data: Buffer.from(r.data).toString('hex') }));
  const damage = parser.end();
  return { records, info: parser.info, damage: damage?.message };
}

// pcap: big-endian and little-endian file headers, snaplen 65535, EN10MB.
const pcapHeader = (magicBE: string): Uint8Array => hex(`${magicBE} 0002 0004 0000 0000 0000 0000 0000 ffff 0000 0001`);

describe('pcap edges', () => {
  it('modified pcap, big-endian (a1b2cd34): 24-byte record headers, microseconds', () => {
    const got = parse(cat(pcapHeader('a1b2 cd34'), hex('6553 f100 0000 0005 0000 0004 0000 003c 0000 0002 0008 0000'), DATA));
    expect(got.records).toEqual([{ no: 1, tsSec: 1700000000, tsNsec: 5000, caplen: 4, origLen: 60, data: 'deadbeef' }]);
  });

  it('nanosecond pcap carries a fraction of 1 s or more into the seconds', () => {
    const got = parse(cat(pcapHeader('a1b2 3c4d'), hex('0000 000a 5968 2f00 0000 0000 0000 0000'), hex('0000 000a 3b9a c9ff 0000 0000 0000 0000')));
    expect(got.records.map((r) => [r.tsSec, r.tsNsec])).toEqual([[11, 500000000], [10, 999999999]]);
  });

  it('a captured length of exactly 262144 is allowed (here cut short), one more is damage', () => {
    const header = pcapHeader('a1b2 c3d4');
    expect(parse(cat(header, hex('0000 0001 0000 0000 0004 0000 0004 0000'))).damage).toBe('record cut short: header says 262144 bytes, 0 left');
    // With the bytes all there too: the limit holds in the loop over whole records, not only for a record cut short.
    for (const data of [new Uint8Array(0), new Uint8Array(262145)]) {
      expect(parse(cat(header, hex('0000 0001 0000 0000 0004 0001 0004 0001'), data)).damage)
        .toBe('record header says 262145 captured bytes, more than the 262144 allowed (snaplen 65535)');
    }
  });

  it('a record gives its bytes as a position in the buffer as well as a view', () => {
    const input = cat(pcapHeader('a1b2 c3d4'), hex('0000 0001 0000 0000 0000 0004 0000 0004'), DATA);
    const seen: string[] = [];
    const parser = new CaptureParser('x');
    parser.push(input, (r: CaptureRecord) => {
      const at = r.at ?? -1;
      seen.push(Buffer.from(r.bytes?.subarray(at, at + r.caplen) ?? []).toString('hex'), String(at));
    });
    expect(seen).toEqual(['deadbeef', '40']);
  });

  it('a first byte below 0x10 is shown with two digits', () => {
    expect(() => parse(hex('0102 0304 0506'))).toThrow(
      'x: not a capture file: starts with 01 02 03 04, expected a pcap (a1b2c3d4/a1b23c4d either byte order) or pcapng (0a0d0d0a) header');
  });
});

describe('pcapng edges', () => {
  const at = (t: bigint, ...extra: Uint8Array[]): Parsed => parse(cat(SHB, ...extra, epb(0, t, DATA)));

  it('an interface listed twice with one link type appears once', () => {
    expect(parse(cat(SHB, idb(1, 0), idb(1, 0), idb(101, 0), idb(1, 0))).info?.linkTypes).toEqual([1, 101]);
  });

  it('a 12-byte block (no body) is read and skipped; 16 MiB exactly is a length, not damage', () => {
    expect(parse(cat(SHB, idb(1, 0), block(0x0bad), epb(0, 0n, DATA))).records).toHaveLength(1);
    expect(parse(cat(SHB, idb(1, 0), le32(6), le32(16 * 1024 * 1024), new Uint8Array(8))).damage)
      .toBe('record cut short: header says 16777216 bytes, 16 left');
  });

  it('a block header cut short at exactly 8 bytes is a block cut short, not a header cut short', () => {
    expect(parse(cat(SHB, idb(1, 0), epb(0, 0n, DATA).subarray(0, 8))).damage).toBe('record cut short: header says 36 bytes, 8 left');
  });

  const tooShort: Array<[string, Uint8Array, string]> = [
    ['section header', block(0x0a0d0d0a, le32(0x1a2b3c4d), le16(1), le16(0)), 'section header block too short (20 bytes)'],
    ['interface description', block(1, le32(1)), 'interface description block too short (16 bytes)'],
    ['packet', block(2, le32(0), le32(0), le32(0)), 'packet block too short (24 bytes)'],
    ['simple packet', block(3), 'simple packet block too short (12 bytes)'],
    ['interface statistics', block(5, le32(0), le32(0)), 'interface statistics block too short (20 bytes)'],
    ['enhanced packet', block(6, le32(0), le32(0), le32(0)), 'enhanced packet block too short (24 bytes)'],
  ];
  it.each(tooShort)('%s block too short', (_name, b, message) => {
    expect(parse(cat(SHB, idb(1, 0), b)).damage).toBe(message);
  });

  it('a byte-order magic with leading zeros is shown with eight digits', () => {
    expect(() => parse(cat(hex('0a0d 0d0a 1c00 0000 0000 1234'), new Uint8Array(16)))).toThrow('byte-order magic is 00001234,');
  });

  it('OPB: a 16-bit interface id then a drop count; EPB: a 32-bit interface id', () => {
    const opb = block(2, le16(0), le16(7), ticks(5_000000n), le32(4), le32(4), DATA);
    expect(parse(cat(SHB, idb(1, 0), opb)).records).toMatchObject([{ tsSec: 5, data: 'deadbeef' }]);
    expect(parse(cat(SHB, idb(1, 0), epb(0x10000, 0n, DATA))).damage).toBe('packet on interface 65536, but this section describes 1 interface');
  });

  it('SPB: the captured length is cut to the interface snaplen, and the time is 0 whatever the interface offset', () => {
    expect(parse(cat(SHB, idb(1, 2, option(14, le64(3600n)), END), spb(60, DATA))).records)
      .toEqual([{ no: 1, tsSec: 0, tsNsec: 0, caplen: 2, origLen: 60, data: 'dead' }]);
    expect(parse(cat(SHB, idb(1, 0), spb(60, DATA))).records[0]?.caplen).toBe(4);
    expect(parse(cat(SHB, spb(60, DATA))).damage).toBe('packet on interface 0, but this section describes 0 interfaces');
  });

  const options: Array<[string, Uint8Array[], bigint, number, number]> = [
    ['an 8-byte if_name is not an offset', [option(2, new TextEncoder().encode('loopback')), END], 7_000001n, 7, 1000],
    ['an if_tsoffset shorter than 8 bytes is ignored', [option(14, le32(100)), END], 7_000001n, 7, 1000],
    ['a last option without opt_endofopt counts', [option(9, Uint8Array.of(9))], 7_000000001n, 7, 1],
    ['an option running past the block ends the options', [cat(le16(9), le16(8), Uint8Array.of(9, 0, 0, 0))], 7_000001n, 7, 1000],
  ];
  it.each(options)('interface options: %s', (_name, opts, t, sec, nsec) => {
    expect(at(t, idb(1, 0, ...opts)).records[0]).toMatchObject({ tsSec: sec, tsNsec: nsec });
  });

  const endTimes: Array<[string, Uint8Array[], { sec: number; nsec: number } | undefined]> = [
    ['same second, later fraction wins', [isb(0, option(3, ticks(9_000001n)), END), isb(0, option(3, ticks(9_000002n)), END)], { sec: 9, nsec: 2000 }],
    ['same second, earlier fraction loses', [isb(0, option(3, ticks(9_000002n)), END), isb(0, option(3, ticks(9_000001n)), END)], { sec: 9, nsec: 2000 }],
    ['a later second wins even with a smaller fraction', [isb(0, option(3, ticks(8_900000n)), END), isb(0, option(3, ticks(9_000001n)), END)], { sec: 9, nsec: 1000 }],
    ['an earlier second loses even with a larger fraction', [isb(0, option(3, ticks(9_000001n)), END), isb(0, option(3, ticks(8_900000n)), END)], { sec: 9, nsec: 1000 }],
    ['the same time again changes nothing', [isb(0, option(3, ticks(9_000001n)), END), isb(0, option(3, ticks(9_000001n)), END)], { sec: 9, nsec: 1000 }],
    ['isb_starttime is not an end time', [isb(0, option(2, ticks(9_000001n)), END)], undefined],
    ['an isb_endtime of the wrong length is ignored', [isb(0, option(3, le32(9)), END)], undefined],
    ['statistics of an undescribed interface are ignored', [isb(3, option(3, ticks(9_000001n)), END)], undefined],
  ];
  it.each(endTimes)('ISB end time: %s', (_name, blocks, endTime) => {
    expect(parse(cat(SHB, idb(1, 0), ...blocks)).info?.endTime).toEqual(endTime);
  });
});

describe('timestamps', () => {
  it.each([[0, { kind: 'dec', digits: 0 }], [9, { kind: 'dec', digits: 9 }], [0x7f, { kind: 'dec', digits: 127 }],
    [0x80, { kind: 'bin', bits: 0 }], [0x83, { kind: 'bin', bits: 3 }], [0xa0, { kind: 'bin', bits: 32 }]])('if_tsresol %i', (byte, res) => {
    expect(resolutionOf(byte)).toEqual(res);
  });

  it.each([
    ['10^-12 with an offset', resolutionOf(12), 10n ** 12n * 5n + 7000n, -3, 2, 7],
    ['2^-3 with an offset', resolutionOf(0x83), 8n * 5n + 4n, 10, 15, 500000000],
    ['10^-6 with an offset', resolutionOf(6), 5_000007n, -3, 2, 7000],
  ] as const)('%s', (_name, res, t, offset, sec, nsec) => {
    const out = { tsSec: 0, tsNsec: 0 };
    ticksToTime(Number(t >> 32n), Number(t & 0xffffffffn), res, offset, out);
    expect(out).toEqual({ tsSec: sec, tsNsec: nsec });
  });
});

describe('the parser and the file reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teardown-edges-'));
  const ONE = cat(pcapHeader('a1b2 c3d4'), hex('0000 0001 0000 0000 0000 0004 0000 0004'), DATA);

  it('knows nothing before its first push', () => {
    const p = new CaptureParser('x');
    expect([p.info, p.damage, p.recordsRead]).toEqual([undefined, undefined, 0]);
  });

  it('end() reports once; pushes after it are ignored', () => {
    const empty = new CaptureParser('x');
    expect(() => empty.end()).toThrow('x is empty: not a capture file');
    expect(empty.end()).toBeUndefined();
    const p = new CaptureParser('x');
    p.push(ONE, () => undefined);
    expect(p.end()).toBeUndefined();
    p.push(ONE.subarray(24), () => undefined);
    expect(p.recordsRead).toBe(1);
    expect(p.end()).toBeUndefined();
  });

  it('the error is an UnreadableCaptureError by name too (the CLI prints it with exit 2)', () => {
    expect(new UnreadableCaptureError('m').name).toBe('UnreadableCaptureError');
    expect(STDIN_NAME).toBe('stdin');
  });

  it('a result without damage has no damage key', async () => {
    async function* one(): AsyncGenerator<Uint8Array> { yield ONE; }
    expect(Object.keys(await readCaptureStream(one(), 's', () => undefined))).toEqual(['info', 'records']);
  });

  it('stops reading a stream at the first damage', async () => {
    async function* damaged(): AsyncGenerator<Uint8Array> {
      yield cat(ONE, hex('0000 0001 0000 0000 ffff ffff 0000 0004'));
      throw new Error('read past the damage');
    }
    const r = await readCaptureStream(damaged(), 's', () => undefined);
    expect(r.damage?.packet).toBe(2);
  });

  it('closes the file it read (no descriptor left open)', async () => {
    const path = join(dir, 'one.pcap');
    writeFileSync(path, ONE);
    // Descriptors open on this file, not all of the process's: the unit tests' worker threads share
    // one process (vitest.config.ts), and another test may open a file meanwhile.
    const real = realpathSync(path);
    const onThisFile = (): number => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === real;
      } catch {
        return false;
      }
    }).length;
    for (let i = 0; i < 5; i++) await readCaptureFile(path, () => undefined);
    expect(onThisFile()).toBe(0);
  });

  it('another I/O error keeps the system message', async () => {
    const path = join(dir, 'one.pcap', 'inside');
    writeFileSync(join(dir, 'one.pcap'), ONE);
    await expect(readCaptureFile(path, () => undefined)).rejects.toThrow(new UnreadableCaptureError(`cannot read ${path}: ENOTDIR: not a directory, open '${path}'`));
  });
});
