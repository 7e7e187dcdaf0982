import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { Report } from '../../src/analysis/report.js';
import { UNPLACED_KEPT } from '../../src/analysis/unplaced.js';
import { unplacedInfo, unplacedJson, unplacedNote } from '../../src/render/unplaced.js';
import { unplacedLines } from '../../src/render/text.js';
import { joinShards } from '../../src/render/shard-lines.js';
import type { SummaryLine } from '../../src/render/shard-lines.js';
import { pickedPacket } from '../../src/cli/view.js';
import { factsHtml } from '../../src/render/html.js';
import { reportJson } from '../../src/render/json.js';
import { hex } from './bytes.js';

/** Records through one Analyzer with packet rows, as `analyze` keeps them; each record a second after the last. */
function analyse(linkType: number, frames: ReadonlyArray<readonly [frame: string, wireLen?: number]>, opts: Partial<ConstructorParameters<typeof Analyzer>[1]> = {}): Report {
  const a = new Analyzer('u', { packets: true, ...opts });
  frames.forEach(([frame, wireLen], i) => {
    const data = hex(frame);
    a.onRecord({ no: i + 1, offset: 0, linkType, tsSec: 1700000000 + i, tsNsec: 0, caplen: data.length, origLen: wireLen ?? data.length, data });
  });
  return a.finish(undefined, undefined);
}

/**
 * TCP packets teardown makes no segment of, from other projects' test captures
 * (docs/public-captures.md), whole (Ethernet, or raw IPv4 for ndpi's kerberos_fuzz), each alone;
 * the expected lines are tshark 4.0.17's Info column for the packet in its capture, verbatim.
 */
const REAL: Array<[name: string, linkType: number, frame: string, wireLen: number, tshark: string, note: string]> = [
  // tcpflow's simson.pcap #1: a 40-byte snap length leaves 6 bytes of the TCP header.
  ['simson: the capture cut the header after the ports', 1,
    '002608e61802c0c1c040cdaa080045200028000040003806b8ea45a381ecc0a8018e0050f970c110', 54,
    '80 → 63856[Packet size limited during capture]',
    'the capture cut the TCP header after 6 of its 20 bytes (snap length), before its flags'],
  // nDPI's kerberos_fuzz.pcapng #1: data offset 2.
  ['kerberos_fuzz: data offset 2', 228,
    '45260120014a000000067d017e040100130000000058d18e00000000000001002001000000000000665f464f554e000603440d0a1b1b1b1b1b1b1b1b1b1b1b270606060606060606061b1b1b5d1b1b0606060606060606060d0affffffff4e4d45618c1b65723149f3f3f34341010000000000005d2a00b73050ff00000000005f0000000000000045618c69643bffffffffff6f657259000000000000004d4500000000000000000000000000000000004d4c405349b73050a32f532e325420f343414e4d45618c69643b0d0affffffff4e4d45618c1b65723149f3f3ffffffff0000000000005d2a00b73050a32f532e414e4d45618c69643b0d0affffffff3b0d0affffffff2f532e3254415420f343414e4d45618c69643b0d0affffffff', 288,
    '88 → 53646 [FIN] Seq=1 Win=0, bogus TCP header length (8, must be at least 20)',
    'TCP data offset 2 (below 5): not a valid segment; a receiver drops it'],
  // nDPI's fuzz-2006-09-29-28586.pcap #27: a 40-byte header in a 20-byte IP payload; tshark reads
  // the urgent pointer, then fails on the options past the IP length.
  ['fuzz-2006-09-29 #27: a header longer than the IP payload', 1,
    '080020b25d7b00508b93937c080045000028004b400080069c4aac140305ac14030d0a290050e44baaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 60,
    '2601 → 80 [SYN, PSH, URG, CWR, Reserved] Seq=3830164138 Win=43690 Urg=43690[Malformed Packet]',
    'TCP header of 40 bytes, longer than the 20 the IP header gives: not a valid segment; a receiver drops it'],
  // The same capture's #111: the IP header leaves 15 bytes of TCP: tshark fails reading the window.
  ['fuzz-2006-09-29 #111: 15 bytes of TCP by the IP header', 1,
    '00508b93937c080020b25d7b080045000023c4d94000400617bcac14030dac140305cf900050cae42ea8e553a07a5010832c7f310000', 54,
    '53136 → 80[Malformed Packet]',
    'the IP header leaves the TCP header 15 bytes (below 20): not a valid segment; a receiver drops it'],
];

describe('TCP packets in no connection, as tshark 4.0 shows them', () => {
  it.each(REAL)('%s', (_name, linkType, frame, wireLen, tshark, note) => {
    const report = analyse(linkType, [[frame, wireLen]]);
    expect(report.flows).toEqual([]);
    expect(report.capture.tcpPackets).toBe(0);
    const packets = report.unplaced?.packets ?? [];
    expect(packets.map(unplacedInfo)).toEqual([tshark]);
    expect(packets.map((p) => unplacedNote(p, 'en'))).toEqual([note]);
    // Counted as the decoder skipped it, as before.
    expect(Object.values(report.capture.skipped)).toEqual([1]);
  });

  /**
   * Hand-built raw IPv4 (10.0.0.1:40000 → 10.0.0.2:80, both announcing WS=128), then two packets with
   * a data offset below 5 on its 4-tuple and one on another; written to a pcap and read by tshark
   * 4.0.17 as compare.mjs runs it: they take the connection's bases and its scaled window.
   */
  const CONNECTION = [
    '4500002c00014000400626c90a0000010a0000029c400050000003e8000000006002faf00000000001030307',
    '4500002c00014000400626c90a0000020a00000100509c4000001388000003e96012fe880000000001030307',
    '4500002800014000400626cd0a0000010a0000029c400050000003e900001389501001f600000000',
    '4500003000014000400626c50a0000010a0000029c400050000003e90000138930180200000000006162636465666768',
    '4500002800014000400626cd0a0000020a00000100509c4000001389000003e92014000000000000',
    '4500002800014000400626cc0a0000010a0000039c4101bb00001b58000023284011012c00000000',
  ].map((f) => [f] as const);

  it('numbers a packet on an open connection from its bases, and leaves the connection as it was', () => {
    const report = analyse(101, CONNECTION);
    expect((report.unplaced?.packets ?? []).map(unplacedInfo)).toEqual([
      '40000 → 80 [PSH, ACK] Seq=1 Ack=1 Win=65536, bogus TCP header length (12, must be at least 20)',
      '80 → 40000 [RST, ACK] Seq=1 Ack=1 Win=0, bogus TCP header length (8, must be at least 20)',
      '40001 → 443 [FIN, ACK] Seq=1 Ack=1 Win=300, bogus TCP header length (16, must be at least 20)',
    ]);
    const alone = analyse(101, CONNECTION.slice(0, 3));
    const [flow] = report.flows;
    expect(flow?.teardown).toEqual(alone.flows[0]?.teardown);
    expect(flow?.lastPacket).toBe(3);
    expect(report.summary).toEqual(alone.summary);
  });

  it('lists none without packet rows, and only what the endpoints pick', () => {
    expect(analyse(101, CONNECTION, { packets: false }).unplaced).toBeUndefined();
    const on443 = analyse(101, CONNECTION, { unplacedFor: (src, dst) => pickedPacket(src, dst, { flow: undefined, port: [443], host: undefined, class: undefined }) });
    expect(on443.unplaced?.packets.map((p) => p.no)).toEqual([6]);
    expect(pickedPacket({ ip: '10.0.0.1', port: 1 }, { ip: '10.0.0.2', port: 2 }, { flow: [1], port: undefined, host: undefined, class: undefined })).toBe(false);
    expect(pickedPacket({ ip: '10.0.0.1', port: 1 }, { ip: '10.0.0.2', port: 2 }, { flow: undefined, port: undefined, host: ['10.0.0.2'], class: undefined })).toBe(true);
  });

  it('keeps at most UNPLACED_KEPT and counts the rest', () => {
    const [, , simson = '', wireLen] = REAL[0] ?? [];
    const report = analyse(1, Array.from({ length: UNPLACED_KEPT + 2 }, () => [simson, wireLen] as const));
    expect(report.unplaced?.packets.length).toBe(UNPLACED_KEPT);
    expect(report.unplaced?.more).toBe(2);
    const json = unplacedJson(report.unplaced ?? { packets: [], more: 0 }, 'en', { sec: 1700000000, nsec: 0 });
    expect(json.unplacedMore).toBe(2);
    expect(json.unplaced[1]).toEqual({
      no: 2, time: 1, src: { ip: '69.163.129.236', port: 80 }, dst: { ip: '192.168.1.142', port: 63856 },
      info: '80 → 63856[Packet size limited during capture]', reason: 'truncated', why: 'cut',
      note: 'the capture cut the TCP header after 6 of its 20 bytes (snap length), before its flags',
    });
  });

  it('writes a table after the connections, in either language', () => {
    const report = analyse(101, CONNECTION);
    const list = report.unplaced ?? { packets: [], more: 3 };
    const o = { color: false, time: 'relative' as const, origin: { sec: 1700000000, nsec: 0 }, digits: 6 as const };
    const en = unplacedLines(list, { ...o, lang: 'en' });
    expect(en[0]).toBe('TCP packets in no connection (3)');
    expect(en[1]?.split(/\s{2,}/)).toEqual(['No.', 'Time', 'Source', 'Src Port', 'Destination', 'Dst Port', 'Protocol', 'Info', 'Note']);
    expect(en[4]).toMatch(/^6 +5\.000000 +10\.0\.0\.1 +40001 +10\.0\.0\.3 +443 +TCP +40001 → 443 .*TCP data offset 4 \(below 5\)/);
    const zh = unplacedLines({ ...list, more: 7 }, { ...o, lang: 'zh' });
    expect(zh[0]).toBe('不属于任何连接的 TCP 分组（10）');
    expect(zh.at(-1)).toBe(`……另有 7 个（只列出前 ${UNPLACED_KEPT} 个）`);
  });

  it("is in the library's json document, times from the capture's first record", () => {
    const doc = JSON.parse(reportJson(analyse(101, CONNECTION))) as { unplaced: Array<{ no: number; time: number; why: string }> };
    expect(doc.unplaced.map(({ no, time, why }) => [no, time, why])).toEqual([[4, 3, 'data-offset'], [5, 4, 'data-offset'], [6, 5, 'data-offset']]);
    expect(Object.keys(JSON.parse(reportJson(analyse(101, CONNECTION.slice(0, 3)))) as object)).toEqual(['capture', 'flows', 'summary', 'errors']);
  });

  it('is counted on the report page', () => {
    const report = analyse(101, CONNECTION);
    expect(factsHtml(report, 1, 'en')).toContain('<p class="facts">3 TCP packets in no connection (a TCP header cut or not valid): teardown analyze lists them</p>');
    expect(factsHtml(analyse(101, CONNECTION.slice(0, 3)), 1, 'en')).not.toContain('no connection');
  });

  it('belongs to the shard of its 4-tuple; merged shards list them by number', () => {
    const whole = analyse(101, CONNECTION).unplaced?.packets.map((p) => p.no);
    const shards = [0, 1, 2].map((index) => analyse(101, CONNECTION, { shard: { index, of: 3 } }));
    const lines: SummaryLine[] = shards.map((r) => ({ capture: r.capture, summary: r.summary, errors: r.errors, ...(r.unplaced ? unplacedJson(r.unplaced, 'en', undefined) : {}) }));
    expect(shards.flatMap((r) => r.unplaced?.packets.map((p) => p.no) ?? []).sort()).toEqual(whole);
    expect(joinShards(lines.reverse()).unplaced?.map((p) => p.no)).toEqual(whole);
  });
});
