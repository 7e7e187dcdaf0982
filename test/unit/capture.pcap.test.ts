import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureParser, readCaptureFile, readCaptureStream } from '../../src/capture/read.js';
import { UnreadableCaptureError, type CaptureDamage, type CaptureInfo, type CaptureRecord } from '../../src/capture/record.js';

/** Hex with `#` comments to the end of a line; whitespace ignored. */
function hex(s: string): Uint8Array {
  const digits = s.split('\n').map((l) => l.replace(/#.*/, '')).join('').replace(/\s+/g, '');
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16));
}

interface Parsed {
  records: Array<Omit<CaptureRecord, 'data'> & { data: string }>;
  info: CaptureInfo | undefined;
  damage: CaptureDamage | undefined;
}

/** Parses `input` pushed in chunks of `size` bytes; copies each record out of the callback. */
function parse(input: Uint8Array, size = input.length, name = 'x.pcap'): Parsed {
  const parser = new CaptureParser(name);
  const records: Parsed['records'] = [];
  const onRecord = (r: CaptureRecord): void => {
    records.push({ ...r, data: Buffer.from(r.data).toString('hex') });
  };
  for (let at = 0; at < input.length; at += size) parser.push(input.subarray(at, at + size), onRecord);
  const damage = parser.end();
  expect(parser.recordsRead).toBe(records.length);
  return { records, info: parser.info, damage };
}

// Little-endian, microseconds, snaplen 65535, EN10MB; two records of 4 and 6 bytes.
const LE_MICRO = hex(`
  d4c3 b2a1 0200 0400 0000 0000 0000 0000 ffff 0000 0100 0000   # magic, 2.4, zone, sigfigs, snaplen, EN10MB
  00f1 5365 40e2 0100 0400 0000 3c00 0000                       # 1700000000 s, 123456 us, caplen 4, len 60
  dead beef
  01f1 5365 0000 0000 0600 0000 0600 0000                       # 1700000001 s, 0 us, caplen 6, len 6
  0102 0304 0506
`);
const EXPECTED_TWO = [
  { no: 1, offset: 24, linkType: 1, tsSec: 1700000000, tsNsec: 123456000, caplen: 4, origLen: 60, data: 'deadbeef' },
  { no: 2, offset: 44, linkType: 1, tsSec: 1700000001, tsNsec: 0, caplen: 6, origLen: 6, data: '010203040506' },
];

describe('pcap', () => {
  const variants: Array<[string, Uint8Array, number]> = [
    ['little-endian microseconds', LE_MICRO, 1000],
    ['big-endian microseconds', hex(`
      a1b2 c3d4 0002 0004 0000 0000 0000 0000 0000 ffff 0000 0001
      6553 f100 0001 e240 0000 0004 0000 003c dead beef
      6553 f101 0000 0000 0000 0006 0000 0006 0102 0304 0506`), 1000],
    ['little-endian nanoseconds', hex(`
      4d3c b2a1 0200 0400 0000 0000 0000 0000 ffff 0000 0100 0000
      00f1 5365 40e2 0100 0400 0000 3c00 0000 dead beef             # 123456 ns
      01f1 5365 0000 0000 0600 0000 0600 0000 0102 0304 0506`), 1],
    ['big-endian nanoseconds', hex(`
      a1b2 3c4d 0002 0004 0000 0000 0000 0000 0000 ffff 0000 0001
      6553 f100 0001 e240 0000 0004 0000 003c dead beef
      6553 f101 0000 0000 0000 0006 0000 0006 0102 0304 0506`), 1],
  ];
  it.each(variants)('%s', (_name, input, nsPerUnit) => {
    const got = parse(input);
    expect(got.info).toEqual({ format: 'pcap', linkTypes: [1] });
    expect(got.damage).toBeUndefined();
    expect(got.records).toEqual(EXPECTED_TWO.map((r) => ({ ...r, tsNsec: (r.tsNsec / 1000) * nsPerUnit })));
  });

  it('modified pcap (a1b2cd34): 24-byte record headers', () => {
    const got = parse(hex(`
      34cd b2a1 0200 0400 0000 0000 0000 0000 ffff 0000 7100 0000    # LINUX_SLL
      00f1 5365 40e2 0100 0400 0000 3c00 0000 0200 0000 0008 00 00  # + ifindex 2, protocol, type, pad
      dead beef`));
    expect(got.records).toEqual([{ ...EXPECTED_TWO[0], linkType: 113 }]);
  });

  it('FCS bits in the link-type field are masked off', () => {
    const input = LE_MICRO.slice();
    input[23] = 0x1c; // F bit and FCS length 4 words... in the top bits
    expect(parse(input).info?.linkTypes).toEqual([1]);
  });

  it('a fraction of a second out of range carries into the seconds', () => {
    const input = LE_MICRO.slice();
    input.set(hex('40420f00'), 28); // 1000000 us
    expect(parse(input).records[0]).toMatchObject({ tsSec: 1700000001, tsNsec: 0 });
  });

  it.each([1, 2, 3, 7, 16, 17])('the same records pushed %i bytes at a time', (size) => {
    expect(parse(LE_MICRO, size).records).toEqual(EXPECTED_TWO);
  });

  it('the same records whatever byte the input is split at', () => {
    for (let cut = 0; cut <= LE_MICRO.length; cut++) {
      const parser = new CaptureParser('x.pcap');
      const got: string[] = [];
      const onRecord = (r: CaptureRecord): void => void got.push(`${r.no}@${r.offset}:${Buffer.from(r.data).toString('hex')}`);
      parser.push(LE_MICRO.subarray(0, cut), onRecord);
      parser.push(LE_MICRO.subarray(cut), onRecord);
      expect(parser.end()).toBeUndefined();
      expect(got).toEqual(['1@24:deadbeef', '2@44:010203040506']);
    }
  });

  const cut: Array<[string, Uint8Array, number, string]> = [
    ['in the data', hex('00f1 5365 0000 0000 3c00 0000 3c00 0000 0102 0304 0506 0708 090a'), 66,
      'record cut short: header says 60 bytes, 10 left'],
    ['in the header', hex('00f1 5365 0000 0000'), 66, 'record cut short: 8 bytes left, less than a 16-byte record header'],
  ];
  it.each(cut)('a record cut short %s: damage after the records before it', (_name, tail, offset, message) => {
    const input = new Uint8Array([...LE_MICRO, ...tail]);
    for (const size of [input.length, 1, 5]) {
      const got = parse(input, size);
      expect(got.records).toEqual(EXPECTED_TWO);
      expect(got.damage).toEqual({ file: 'x.pcap', offset, packet: 3, message });
    }
  });

  it('caplen 0xffffffff is damage, found before any allocation, and stops the parser', () => {
    const input = new Uint8Array([...LE_MICRO.subarray(0, 44), ...hex('00f1 5365 0000 0000 ffff ffff 3c00 0000'), ...LE_MICRO.subarray(44)]);
    for (const size of [input.length, 1]) {
      const got = parse(input, size);
      expect(got.records).toEqual([EXPECTED_TWO[0]]);
      expect(got.damage).toEqual({
        file: 'x.pcap', offset: 44, packet: 2,
        message: 'record header says 4294967295 captured bytes, more than the 262144 allowed (snaplen 65535)',
      });
    }
  });

  it('a snaplen above 256 KiB raises the limit, up to 16 MiB', () => {
    const header = LE_MICRO.slice(0, 24);
    header.set(hex('ffff ffff'), 16); // snaplen 4294967295
    const big = new CaptureParser('x.pcap');
    big.push(new Uint8Array([...header, ...hex('00f1 5365 0000 0000 e093 0400 e093 0400')]), () => undefined); // 300000
    expect(big.end()?.message).toBe('record cut short: header says 300000 bytes, 0 left');
    const huge = new CaptureParser('x.pcap');
    huge.push(new Uint8Array([...header, ...hex('00f1 5365 0000 0000 0100 0001 0100 0001')]), () => undefined);
    expect(huge.damage?.message).toBe('record header says 16777217 captured bytes, more than the 16777216 allowed (snaplen 4294967295)');
  });
});

describe('capture file header', () => {
  const bad: Array<[string, Uint8Array, string]> = [
    ['HTTP', new TextEncoder().encode('HTTP/1.1 200 OK\r\n'),
      'x.pcap: not a capture file: starts with 48 54 54 50, expected a pcap (a1b2c3d4/a1b23c4d either byte order) or pcapng (0a0d0d0a) header'],
    ['pcap version 3', hex('d4c3 b2a1 0300 0000 0000 0000 0000 0000 ffff 0000 0100 0000'),
      'x.pcap: not a capture file: unsupported pcap version 3.0 (expected 2.x)'],
  ];
  it.each(bad)('%s throws UnreadableCaptureError from push()', (_name, input, message) => {
    const parser = new CaptureParser('x.pcap');
    expect(() => parser.push(input, () => undefined)).toThrow(new UnreadableCaptureError(message));
  });

  const short: Array<[string, Uint8Array, string]> = [
    ['empty', new Uint8Array(0), 'x.pcap is empty: not a capture file'],
    ['3 bytes', hex('d4c3b2'), 'x.pcap: not a capture file: only 3 bytes, a file header cut short'],
    ['half a pcap header', LE_MICRO.subarray(0, 12), 'x.pcap: not a capture file: only 12 bytes, a file header cut short'],
  ];
  it.each(short)('%s input throws at end()', (_name, input, message) => {
    const parser = new CaptureParser('x.pcap');
    parser.push(input, () => undefined);
    expect(() => parser.end()).toThrow(UnreadableCaptureError);
    expect(() => new CaptureParser('x.pcap').end()).toThrow('x.pcap is empty: not a capture file');
    const again = new CaptureParser('x.pcap');
    again.push(input, () => undefined);
    expect(() => again.end()).toThrow(message);
  });

  it('a header alone is a capture with no records', () => {
    expect(parse(LE_MICRO.subarray(0, 24))).toEqual({ records: [], info: { format: 'pcap', linkTypes: [1] }, damage: undefined });
  });
});

describe('readCaptureFile / readCaptureStream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teardown-capture-'));

  it('reads a file', async () => {
    const path = join(dir, 'two.pcap');
    writeFileSync(path, LE_MICRO);
    const seen: number[] = [];
    const result = await readCaptureFile(path, (r) => void seen.push(r.caplen));
    expect(result).toEqual({ info: { format: 'pcap', linkTypes: [1] }, records: 2 });
    expect(seen).toEqual([4, 6]);
  });

  it('reports damage with the file name', async () => {
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, LE_MICRO.subarray(0, 50));
    const result = await readCaptureFile(path, () => undefined);
    expect(result.records).toBe(1);
    expect(result.damage).toEqual({ file: path, offset: 44, packet: 2, message: 'record cut short: 6 bytes left, less than a 16-byte record header' });
  });

  it('reads a stream of odd chunks', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < LE_MICRO.length; at += 5) yield LE_MICRO.slice(at, at + 5);
    }
    const result = await readCaptureStream(chunks(), 'stdin', () => undefined);
    expect(result.records).toBe(2);
  });

  it('missing file', async () => {
    const path = join(dir, 'nope.pcap');
    await expect(readCaptureFile(path, () => undefined)).rejects.toThrow(new UnreadableCaptureError(`cannot read ${path}: no such file`, { kind: 'no-such-file', path }));
  });

  it('directory', async () => {
    await expect(readCaptureFile(dir, () => undefined)).rejects.toThrow(new UnreadableCaptureError(`${dir} is a directory`, { kind: 'directory', path: dir }));
  });

  it('an error thrown by the callback is not turned into an I/O error', async () => {
    const path = join(dir, 'two.pcap');
    await expect(readCaptureFile(path, () => { throw new RangeError('boom'); })).rejects.toThrow(RangeError);
  });
});
