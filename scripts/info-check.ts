/**
 * info-check [-v] [capture...]: holds WireView's Info column against tshark 4.0's, packet by packet.
 * Each capture needs its CAPTURE.tshark-tcp.tsv (../shared/tools/tshark-oracle). Default: every
 * capture in ../shared/peer-corpus. Splits connections with reuse.ts, as the flow table does, and
 * also checks that the split matches tshark's tcp.stream numbering.
 * Run: npx --yes tsx scripts/info-check.ts [-v] [paths]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../src/capture/read.js';
import { decode } from '../src/decode/decode.js';
import type { TcpSegment } from '../src/decode/segment.js';
import { ACK, SYN } from '../src/decode/segment.js';
import { startsNewConnection } from '../src/flow/reuse.js';
import { WireView } from '../src/flow/wireview.js';

interface Expected { stream: string; info: string }

function findCaptures(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findCaptures(p, out);
    else if (/\.pcap(ng)?$/.test(name)) out.push(p);
  }
  return out;
}

function readExpected(capture: string): Map<number, Expected> {
  const rows = new Map<number, Expected>();
  const tsv = `${capture}.tshark-tcp.tsv`;
  if (!existsSync(tsv)) return rows;
  let header = true;
  for (const line of readFileSync(tsv, 'utf8').split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    if (header) { header = false; continue; }
    const cells = line.split('\t');
    rows.set(Number(cells[0]), { stream: cells[1] ?? '', info: cells[10] ?? '' });
  }
  return rows;
}

/** The unordered 4-tuple. */
function keyOf(s: TcpSegment): string {
  const a = `${s.src}|${s.srcPort}`;
  const b = `${s.dst}|${s.dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

interface Conn { view: WireView; stream: number; client: string }

async function check(capture: string, verbose: boolean): Promise<[number, number]> {
  const expected = readExpected(capture);
  const conns = new Map<string, Conn>();
  let streams = 0;
  let same = 0;
  let total = 0;
  const seen = new Set<number>();
  const result = await readCaptureFile(capture, (rec) => {
    const d = decode(rec);
    if (d.kind !== 'tcp') return;
    const seg = d.segment;
    const key = keyOf(seg);
    let conn = conns.get(key);
    let reused = false;
    if (conn !== undefined && startsNewConnection(conn.view, seg)) {
      conn = undefined;
      reused = true;
    }
    if (conn === undefined) {
      // Client: the SYN's sender; the SYN-ACK's receiver; else the first sender (docs/contract.md, "Client and server").
      const synAck = (seg.flags & (SYN | ACK)) === (SYN | ACK);
      const client = synAck ? `${seg.dst}|${seg.dstPort}` : `${seg.src}|${seg.srcPort}`;
      conn = { view: new WireView(), stream: streams++, client };
      conns.set(key, conn);
    }
    const dir = `${seg.src}|${seg.srcPort}` === conn.client ? 0 : 1;
    const view = conn.view.add(seg, dir, reused);
    const want = expected.get(seg.no);
    if (want === undefined) return; // tshark did not call it TCP (e.g. inside a tunnel it shows otherwise)
    seen.add(seg.no);
    total++;
    if (want.info === view.info && want.stream === String(conn.stream)) same++;
    else if (verbose) {
      console.log(`${capture} #${seg.no} stream ${conn.stream} (tshark ${want.stream})\n  tshark: ${want.info}\n  ours:   ${view.info}`);
    }
  });
  for (const [no, want] of expected) {
    if (seen.has(no)) continue;
    total++;
    if (verbose) console.log(`${capture} #${no}: not decoded as TCP\n  tshark: ${want.info}`);
  }
  if (result.damage) console.log(`${capture}: damaged: ${result.damage.message}`);
  return [same, total];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('-v');
  const paths = args.filter((a) => a !== '-v');
  const corpus = new URL('../../shared/peer-corpus', import.meta.url).pathname;
  const captures = paths.length > 0 ? paths : findCaptures(corpus, []);
  let same = 0;
  let total = 0;
  let unreadable = 0;
  for (const capture of captures) {
    try {
      const [s, t] = await check(capture, verbose);
      same += s;
      total += t;
      if (s !== t) console.log(`${capture}: ${s}/${t}`);
    } catch (err) {
      unreadable++;
      console.log(`${capture}: unreadable: ${(err as Error).message}`);
    }
  }
  const pct = total === 0 ? 100 : (100 * same) / total;
  console.log(`Info identical: ${same}/${total} (${pct.toFixed(2)} %), ${captures.length} captures, ${unreadable} unreadable`);
}

await main();
