import { describe, expect, it } from 'vitest';
import { readMerged } from '../../src/capture/merge.js';
import { spreadPackets } from '../input/spread.js';
import { LINKTYPE, writePcap, writePcapng } from './writer.js';
import type { PacketSpec } from './writer.js';

/** capture/merge.ts: several captures as one, in time order (docs/contract.md, "Several captures"). */

const once = (bytes: Uint8Array, pieces = 3) => () => (async function* () {
  // In several chunks, so records are split across them (and delivered from the parser's carry-over).
  const step = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length; at += step) yield bytes.slice(at, at + step);
})();

async function merged(files: Uint8Array[]): Promise<string[]> {
  const seen: string[] = [];
  await readMerged(files.map((f, i) => ({ name: `f${i}`, chunks: once(f, 5) })), (r) => {
    seen.push(`${r.no} ${r.tsSec}.${r.tsNsec} ${r.caplen} ${Buffer.from(r.data).toString('hex')}`);
  });
  return seen;
}

const pcap = (p: PacketSpec[]) => writePcap({ littleEndian: true, nano: true, linkType: LINKTYPE.RAW }, p);

describe('readMerged', () => {
  const packets = spreadPackets(12, 0.0005);
  const whole = packets.map((p, i) => `${i + 1} ${p.tsSec}.${p.tsNsec} ${p.data.length} ${Buffer.from(p.data).toString('hex')}`);

  it('captures taken at once (packets interleaved in time) come out as the one capture, renumbered', async () => {
    const even = packets.filter((_, i) => i % 2 === 0);
    const odd = packets.filter((_, i) => i % 2 === 1);
    expect(await merged([pcap(odd), pcap(even)])).toEqual(whole);
    // pcap and pcapng alike.
    expect(await merged([writePcapng({ littleEndian: false, tsresol: 9, linkType: LINKTYPE.RAW }, odd), pcap(even)])).toEqual(whole);
  });

  it('a rotated set given in any order, an empty file among them', async () => {
    const parts = [pcap(packets.slice(40)), pcap([]), pcap(packets.slice(0, 13)), pcap(packets.slice(13, 40))];
    expect(await merged(parts)).toEqual(whole);
  });

  it('equal times keep the order the files were given in', async () => {
    const a = { ...packets[0] as PacketSpec, tsSec: 5, tsNsec: 0 };
    const b = { ...packets[1] as PacketSpec, tsSec: 5, tsNsec: 0 };
    const seen = await merged([pcap([b]), pcap([a])]);
    expect(seen.map((l) => l.split(' ')[3])).toEqual([Buffer.from(b.data).toString('hex'), Buffer.from(a.data).toString('hex')]);
  });
});
