import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureParser } from '../../src/capture/read.js';
import type { CaptureRecord } from '../../src/capture/record.js';
import { decode } from '../../src/decode/decode.js';
import type { TcpOption } from '../../src/decode/segment.js';
import {
  LINKTYPE, ipPacket, linkFrame, optionBytes, writePcap, writePcapng,
  type LinkType, type PacketSpec, type RawOption, type TcpSpec,
} from './writer.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const be = (bits: 16 | 32, ...xs: number[]): Uint8Array => {
  const b = new Uint8Array((bits / 8) * xs.length);
  const dv = new DataView(b.buffer);
  xs.forEach((x, i) => (bits === 16 ? dv.setUint16(2 * i, x) : dv.setUint32(4 * i, x)));
  return b;
};

/** A written option and the TcpOption decode() must give back for it. */
type Opt = [RawOption, TcpOption];
const option: fc.Arbitrary<Opt> = fc.oneof(
  fc.constant<Opt>([{ kind: 1 }, { kind: 'nop' }]),
  u16.map((v): Opt => [{ kind: 2, value: be(16, v) }, { kind: 'mss', value: v }]),
  fc.integer({ min: 0, max: 14 }).map((s): Opt => [{ kind: 3, value: Uint8Array.of(s) }, { kind: 'ws', shift: s }]),
  fc.constant<Opt>([{ kind: 4, value: new Uint8Array(0) }, { kind: 'sack_perm' }]),
  fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 4 })
    .map((blocks): Opt => [{ kind: 5, value: be(32, ...blocks.flat()) }, { kind: 'sack', blocks }]),
  fc.tuple(u32, u32).map(([tsval, tsecr]): Opt => [{ kind: 8, value: be(32, tsval, tsecr) }, { kind: 'ts', tsval, tsecr }]),
  fc.tuple(fc.constantFrom(6, 7, 19, 28, 30, 34, 253, 254), fc.uint8Array({ maxLength: 6 }))
    .map(([type, data]): Opt => [{ kind: type, value: data }, { kind: 'other', type, data }]),
);
/** Options that fit the 40 bytes a TCP header has for them. */
const options = fc.array(option, { maxLength: 10 }).map((all) => {
  const fits: Opt[] = [];
  for (const o of all) if (optionBytes([...fits, o].map(([raw]) => raw)).length <= 40) fits.push(o);
  return fits;
});

/** IPv6 addresses, leaving out IPv4-mapped ones (RFC 5952 §5 prints those dotted; the reference below does not). */
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 })
  .filter((a) => !(a.subarray(0, 10).every((x) => x === 0) && a[10] === 0xff && a[11] === 0xff));
const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
/** RFC 5952 text by the WHATWG URL serializer (same compression rules), the reference for decode's. */
const ipv6Text = (a: Uint8Array): string => {
  const groups = Array.from({ length: 8 }, (_, i) => (((a[2 * i] ?? 0) << 8) | (a[2 * i + 1] ?? 0)).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
};
const addrText = (a: Uint8Array): string => (a.length === 4 ? Array.from(a).join('.') : ipv6Text(a));

const packet = fc.record({
  v6: fc.boolean(),
  a4: fc.tuple(ipv4, ipv4),
  a6: fc.tuple(ipv6, ipv6),
  srcPort: u16, dstPort: u16, seq: u32, ack: u32,
  flags: fc.integer({ min: 0, max: 0x1ff }), window: u16, urgent: u16,
  options,
  payload: fc.uint8Array({ maxLength: 80 }),
  vlan: fc.option(fc.integer({ min: 0, max: 4095 }), { nil: undefined }),
  tsSec: u32,
  tsNsec: fc.integer({ min: 0, max: 999_999_999 }),
  snapped: fc.integer({ min: 0, max: 1500 }),
});

const format = fc.oneof(
  fc.record({ kind: fc.constant('pcap' as const), littleEndian: fc.boolean(), nano: fc.boolean() }),
  fc.record({ kind: fc.constant('pcapng' as const), littleEndian: fc.boolean(), tsresol: fc.constantFrom(6 as const, 9 as const) }),
);

describe('pcap and pcapng written by test/unit/writer.ts read back unchanged (docs/contract.md, "Capture formats")', () => {
  it('records (time exact, bytes identical) through CaptureParser in random chunks, and decode() gives the fields written', () => {
    fc.assert(fc.property(
      format,
      fc.constantFrom<LinkType>(LINKTYPE.EN10MB, LINKTYPE.RAW, LINKTYPE.LINUX_SLL2),
      fc.array(packet, { maxLength: 12 }),
      fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
      (fmt, linkType, packets, chunkSizes) => {
        const micro = fmt.kind === 'pcap' ? !fmt.nano : fmt.tsresol === 6;
        const specs = packets.map((p) => {
          const [src, dst] = p.v6 ? p.a6 : p.a4;
          const tcp: TcpSpec = {
            src, dst, srcPort: p.srcPort, dstPort: p.dstPort, seq: p.seq, ack: p.ack, flags: p.flags,
            window: p.window, urgent: p.urgent, options: p.options.map(([raw]) => raw), payload: p.payload,
          };
          const data = linkFrame(linkType, ipPacket(tcp), linkType === LINKTYPE.EN10MB ? p.vlan : undefined);
          const written: PacketSpec = { tsSec: p.tsSec, tsNsec: micro ? p.tsNsec - (p.tsNsec % 1000) : p.tsNsec, data, origLen: data.length + p.snapped };
          return { p, tcp, written };
        });
        const file = fmt.kind === 'pcap'
          ? writePcap({ littleEndian: fmt.littleEndian, nano: fmt.nano, linkType }, specs.map((s) => s.written))
          : writePcapng({ littleEndian: fmt.littleEndian, tsresol: fmt.tsresol, linkType }, specs.map((s) => s.written));

        const parser = new CaptureParser('prop');
        const records: Array<Omit<CaptureRecord, 'data' | 'offset'> & { data: Uint8Array }> = [];
        const decoded: unknown[] = [];
        const onRecord = (r: CaptureRecord): void => {
          records.push({ no: r.no, linkType: r.linkType, tsSec: r.tsSec, tsNsec: r.tsNsec, caplen: r.caplen, origLen: r.origLen, data: r.data.slice() });
          decoded.push(decode(r));
        };
        for (let at = 0, i = 0; at < file.length; i++) {
          const size = chunkSizes[i % chunkSizes.length] ?? 1;
          parser.push(file.subarray(at, at + size), onRecord);
          at += size;
        }
        expect(parser.end()).toBeUndefined();
        expect(parser.info).toMatchObject({ format: fmt.kind, linkTypes: [linkType] });

        expect(records).toEqual(specs.map(({ written }, i) => ({
          no: i + 1, linkType, tsSec: written.tsSec, tsNsec: written.tsNsec,
          caplen: written.data.length, origLen: written.origLen, data: written.data,
        })));
        expect(decoded).toEqual(specs.map(({ p, tcp, written }, i) => {
          const pad = optionBytes(tcp.options).length > p.options.reduce((n, [raw]) => n + ('value' in raw ? raw.value.length + 2 : 1), 0);
          return {
            kind: 'tcp',
            segment: {
              no: i + 1, tsSec: written.tsSec, tsNsec: written.tsNsec, ipVersion: p.v6 ? 6 : 4,
              src: addrText(tcp.src), dst: addrText(tcp.dst), srcPort: p.srcPort, dstPort: p.dstPort,
              seq: p.seq, ack: p.ack, flags: p.flags, window: p.window, urgent: p.urgent, payloadLen: p.payload.length, ttl: 64, headerCut: false,
              options: [...p.options.map(([, decodedOption]) => decodedOption), ...(pad ? [{ kind: 'eol' }] : [])],
            },
          };
        }));
      },
    ), { numRuns: 400 });
  });
});
