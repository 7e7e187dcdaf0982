// Holds teardown against tshark over captures other projects made: every capture fetch.sh gathered
// (CACHE/captures) and the peer corpus. Per capture it prints the TCP connections each finds
// (tshark: the rows of `-z conv,tcp`; teardown: its flows) and how many TCP packets have the same
// Info column, then the totals. tshark runs with every dissector that sits on TCP switched off
// (those of the tcp.port table and TCP's heuristics, from `tshark -G`), so its Info is the plain
// TCP one docs/contract.md asks for, while links and tunnels stay on; its answers are cached in
// CACHE/tshark, keyed by the capture's sha256 and tshark's version.
//
// Usage: node scripts/public-captures/compare.mjs [--cache DIR] [--peer DIR] [--cli dist/cli.js]
//          [--only SUBSTRING] [--diff] [--md FILE]
//   --diff  list every packet whose Info differs, and every capture whose counts differ
//   --md    also write the table as Markdown to FILE
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
}
const cache = option('--cache', process.env.TEARDOWN_CAPTURES ?? join(homedir(), '.cache', 'teardown-public-captures'));
const peer = option('--peer', '/work/shared/peer-corpus');
const cli = option('--cli', join(root, 'dist', 'cli.js'));
const only = option('--only', '');
const md = option('--md', '');
const showDiff = args.includes('--diff');

function walk(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...walk(p));
    else if (/\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz|dmp|trace|ntar)$/i.test(name) || sniff(p)) found.push(p);
  }
  return found;
}
/** A capture by its magic number: pcap in either byte order and resolution, or pcapng. */
function sniff(path) {
  if (/\.(tsv|txt|md|json)$/.test(path)) return false;
  const bytes = readFileSync(path);
  const head = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipHead(bytes) : bytes).subarray(0, 4).toString('hex');
  return ['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d', '0a0d0d0a'].includes(head);
}

function gunzipHead(bytes) {
  try {
    return gunzipSync(bytes);
  } catch {
    return Buffer.alloc(0);
  }
}

const tsharkVersion = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].split(' ')[2] ?? '?';
const tsharkDir = join(cache, 'tshark', tsharkVersion);
mkdirSync(tsharkDir, { recursive: true });

/** A tshark profile with every dissector that TCP hands payload to switched off. */
function profileHome() {
  const home = join(cache, 'tshark-home');
  const file = join(home, '.config', 'wireshark', 'profiles', 'tcp-plain', 'disabled_protos');
  if (existsSync(file)) return home;
  const above = new Set();
  for (const line of spawnSync('tshark', ['-G', 'decodes'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.split('\n')) {
    const [table, , proto] = line.split('\t');
    if (table === 'tcp.port' && proto) above.add(proto);
  }
  for (const line of spawnSync('tshark', ['-G', 'heuristic-decodes'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.split('\n')) {
    const [under, proto] = line.split('\t');
    // Ethernet trailer dissectors (F5's) also write into the Info column.
    if ((under === 'tcp' || under === 'eth.trailer') && proto) above.add(proto);
  }
  // Tunnels that also have a TCP port stay on: the packets inside them are the ones compared.
  for (const keep of ['gtp', 'gre', 'vxlan', 'geneve', 'teredo', 'l2tp', 'pptp', 'erspan', 'etherip', 'ipcomp', 'ah']) above.delete(keep);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, [...above].sort().join('\n') + '\n');
  return home;
}

function tshark(capture, sha) {
  const conv = join(tsharkDir, sha + '.conv.txt');
  const fields = join(tsharkDir, sha + '.tcp.tsv');
  if (!existsSync(conv) || !existsSync(fields)) {
    // One pass gives both: the fields of every packet, then the conversation table.
    const r = spawnSync('tshark', ['-C', 'tcp-plain', '-n', '-r', capture, '-z', 'conv,tcp', '-T', 'fields', '-E', 'separator=/t',
      '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'],
    { encoding: 'utf8', env: { ...process.env, HOME: profileHome() }, maxBuffer: 1 << 28, timeout: 300_000 });
    const lines = (r.stdout ?? '').split('\n');
    writeFileSync(conv, lines.filter((l) => l.includes('<->') && !l.includes('\t')).join('\n'));
    writeFileSync(fields, lines.filter((l) => l.split('\t')[1] === 'TCP').join('\n'));
  }
  const conversations = readFileSync(conv, 'utf8').split('\n').filter((l) => l.includes('<->')).length;
  const info = new Map();
  for (const line of readFileSync(fields, 'utf8').split('\n')) {
    if (!line) continue;
    const [no, , text] = line.split('\t');
    info.set(Number(no), text ?? '');
  }
  return { conversations, info };
}

function teardown(capture) {
  const r = spawnSync(process.execPath, [cli, 'analyze', capture, '--format', 'json', '--packets'], { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 300_000 });
  if (r.status !== 0 && r.status !== 3) return { error: `exit ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n')[0]}` };
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    return { error: 'output is not JSON' };
  }
  const info = new Map();
  for (const flow of report.flows ?? []) for (const p of flow.packets ?? []) info.set(Number(p.no), p.info ?? '');
  // TCP packets in no connection (docs/contract.md): tshark shows a TCP row for each of them too.
  for (const p of report.unplaced ?? []) info.set(Number(p.no), p.info ?? '');
  return { flows: (report.flows ?? []).length, info };
}

const captures = [...walk(join(cache, 'captures')).map((p) => [relative(join(cache, 'captures'), p), p]),
  ...walk(peer).map((p) => ['peer-corpus/' + relative(peer, p), p])].filter(([name]) => name.includes(only));
const rows = [];
let packets = 0, same = 0, failed = 0; // failed: teardown refused the capture
for (const [name, path] of captures) {
  const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
  const theirs = tshark(path, sha);
  const ours = teardown(path);
  if (ours.error) {
    failed++;
    rows.push({ name, tshark: theirs.conversations, ours: 'error', packets: theirs.info.size, same: 0, note: ours.error });
    continue;
  }
  let alike = 0;
  const differ = [];
  for (const [no, text] of theirs.info) {
    const mine = ours.info.get(no);
    if (mine === text) alike++;
    else differ.push(`  #${no}\n    tshark: ${text}\n    ours:   ${mine ?? '(no packet)'}`);
  }
  packets += theirs.info.size;
  same += alike;
  rows.push({ name, tshark: theirs.conversations, ours: ours.flows, packets: theirs.info.size, same: alike, note: '' });
  if (showDiff && (differ.length || theirs.conversations !== ours.flows)) {
    console.log(`${name}: tshark ${theirs.conversations} conversations, teardown ${ours.flows}; Info ${alike}/${theirs.info.size}`);
    for (const d of differ) console.log(d);
  }
}

// A capture both refuse (a damaged header: tshark reads no packet, teardown exits 2) is no difference.
const countsDiffer = rows.filter((r) => r.tshark !== r.ours && !(r.ours === 'error' && r.tshark === 0 && r.packets === 0));
const pct = (a, b) => (b ? ((100 * a) / b).toFixed(2) + ' %' : 'n/a');
const table = ['| capture | tshark conv,tcp | teardown | TCP packets | Info identical |', '|---|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.tshark} | ${r.ours}${r.note ? ' (' + r.note + ')' : ''} | ${r.packets} | ${r.same} |`)];
const totals = `${rows.length} captures (${failed} failed); connections: tshark ${rows.reduce((a, r) => a + r.tshark, 0)}, ` +
  `teardown ${rows.reduce((a, r) => a + (typeof r.ours === 'number' ? r.ours : 0), 0)}; ${countsDiffer.length} captures count differently; ` +
  `Info identical on ${same}/${packets} TCP packets (${pct(same, packets)})`;
if (!showDiff) for (const r of rows) console.log(`${r.name}\t${r.tshark}\t${r.ours}\t${r.same}/${r.packets}${r.note ? '\t' + r.note : ''}`);
console.log('counts differ: ' + countsDiffer.map((r) => `${r.name} (${r.tshark} vs ${r.ours})`).join(', '));
console.log(totals);
if (md) writeFileSync(md, table.join('\n') + '\n\n' + totals + '\n');
