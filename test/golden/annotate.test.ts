import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { Report } from '../../src/analysis/report.js';
import { CaptureParser, fileChunks, readCaptureFile } from '../../src/capture/read.js';
import type { CaptureInterface } from '../../src/capture/record.js';
import { runAnnotate } from '../../src/cli/commands/annotate.js';
import { TcpFlag } from '../../src/decode/segment.js';
import type { Lang, NoteTone } from '../../src/render/notes.js';
import { rowTone } from '../../src/render/notes.js';
import { packetCells } from '../../src/render/text.js';
import { TimeFormatter } from '../../src/render/time.js';
import { concat, hex } from '../unit/bytes.js';
import { writer } from '../unit/pcapng-blocks.js';
import { golden } from './golden.js';
import { analyzeInProcess } from './run-analyze.js';
import { CLI, ROOT } from './run-cli.js';

/**
 * `teardown annotate` (docs/annotate.md): every fixture annotated in this process, then read back
 * by tshark, once for all of them (the outputs concatenated: a pcapng file may hold many
 * sections), and compared with what teardown's own packet table says of each packet; the packets
 * compared with the input's, through teardown's reader for every fixture and through tshark for a
 * few; the Wireshark profile (wireshark/teardown) loaded by tshark, its colouring rules and
 * filter buttons checked against the notes' colours. tshark warns on standard error about a
 * preference it does not know, a colouring rule or filter button it cannot read or compile: any
 * output there fails the test. The CLI itself is spawned twice.
 */
const FIXTURES = join(ROOT, 'fixtures');
const captures = readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
const tmp = mkdtempSync(join(tmpdir(), 'teardown-annotate-test-'));
const out = (file: string, lang: Lang): string => join(tmp, `${file}.${lang}.pcapng`);
const hasTshark = spawnSync('tshark', ['--version']).status === 0;

/** What teardown says of each packet: its expected comment, its colour, its flags. */
interface Expected {
  comment: string;
  tone: NoteTone;
  flags: number;
  /** Notes of the ACK of a FIN (the FIN rule's second half). */
  finAck: boolean;
}

/** A capture's whole report, rows included, as the library gives it. */
async function reportOf(path: string): Promise<Report> {
  const analyzer = new Analyzer(path, { packets: true });
  const { info, damage } = await readCaptureFile(path, (r) => analyzer.onRecord(r));
  return analyzer.finish(info, damage);
}

/** The comments teardown's packet table and text report imply for a capture, by packet number. */
async function expectedOf(file: string, lang: Lang): Promise<{ packets: Map<number, Expected>; summary: string }> {
  const path = join(FIXTURES, file);
  const report = await reportOf(path);
  // The verdict blocks, as analyze prints them without rows.
  const text = (await analyzeInProcess(path, { packets: false, lang })).stdout;
  const [blocks = '', rest = ''] = text.split(/\n(?=Summary: |汇总：)/);
  const blockOf = new Map(blocks.split('\n\n').filter((b) => b !== '').map((b) => [Number(/^(?:Connection |连接 )(\d+)(?::|：)/.exec(b)?.[1]), b.trimEnd()]));
  const packets = new Map<number, Expected>();
  const times = new TimeFormatter('relative', { sec: 0, nsec: 0 }, 6);
  for (const f of report.flows) {
    for (const row of f.rows ?? []) {
      const cells = packetCells(row, f.client, f.server, times, lang);
      const [client, server, note] = cells.slice(8);
      packets.set(row.no, {
        comment: lang === 'en' ? `Client: ${client}, Server: ${server}${note ? `. Note: ${note}` : ''}` : `客户端：${client}，服务器：${server}${note ? `。说明：${note}` : ''}`,
        tone: rowTone(row.notes),
        flags: row.flags,
        finAck: row.notes.some((n) => n.id === 'fin-ack' || n.id === 'fin-inferred'),
      });
    }
    const evidence = f.teardown.evidence;
    const at = packets.get(evidence.length > 0 ? (evidence[evidence.length - 1] as number) : f.lastPacket) as Expected;
    at.comment += `\n${blockOf.get(f.id) ?? 'no block'}`;
  }
  return { packets, summary: rest.split('\n')[0] ?? '' };
}

interface PacketRecord {
  /** pcapng: the timestamp's ticks as the block held them. */
  ticks?: string;
  linkType: number;
  tsSec: number;
  tsNsec: number;
  caplen: number;
  origLen: number;
  data: string;
}

async function recordsOf(path: string, ticks = false): Promise<{ records: PacketRecord[]; interfaces: CaptureInterface[] }> {
  const records: PacketRecord[] = [];
  const parser = new CaptureParser(path);
  for await (const chunk of fileChunks(path)) {
    parser.push(chunk, (r) => void records.push({
      ...(ticks ? { ticks: `${r.tsHigh ?? '-'} ${r.tsLow ?? '-'}` } : {}),
      linkType: r.linkType, tsSec: r.tsSec, tsNsec: r.tsNsec, caplen: r.caplen, origLen: r.origLen, data: Buffer.from(r.data).toString('hex'),
    }));
  }
  parser.end();
  return { records, interfaces: parser.interfaces.map(({ linkType, snaplen, tsresol, tsoffset }) => ({ linkType, snaplen, tsresol, tsoffset })) };
}

const discard = (): Writable => new Writable({ write: (_c, _e, done) => done() });

function tshark(args: string[], home?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LANG: 'C.UTF-8', ...(home ? { HOME: home } : {}) };
    const child = spawn('tshark', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => errors.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const err = Buffer.concat(errors).toString('utf8').replace(/^Running as user .*\n/m, '');
      if (code !== 0 || err !== '') reject(new Error(`tshark ${args.join(' ')}: exit ${code}: ${err}`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/**
 * pcapng as other writers make it: two sections (interface ids start again in the second), each
 * byte order, timestamps in 2^-20 s with a negative if_tsoffset and in picoseconds (finer than
 * teardown's nanoseconds: only copying the ticks keeps them), simple and obsolete packet blocks,
 * then a real capture's section.
 */
const LE = writer(true);
const BE = writer(false);
const FRAME = hex('ffffffffffff 020000000001 0806 0001');
const MIXED = join(tmp, 'mixed.pcapng');
/** A simple packet block has no timestamp: teardown reads it as time 0, whatever the offset. */
const SIMPLE = join(tmp, 'simple.pcapng');
writeFileSync(SIMPLE, concat(LE.shb(), LE.idb(1, LE.tsoffset(-5)), LE.spb(FRAME.length, FRAME), LE.epb(0, 7n, FRAME)));
writeFileSync(MIXED, concat(
  LE.shb(), LE.idb(1, LE.tsresol(0x80 | 20), LE.tsoffset(-5)),
  LE.epb(0, (1700000000n << 20n) + 12345n, FRAME), LE.opb(0, (1700000001n << 20n) + 1n, FRAME),
  BE.shb(), BE.idb(101, BE.tsresol(12)), BE.idb(1),
  BE.epb(1, 1700000002_000001n, FRAME, 1514), BE.epb(0, 1700000_123456789012n, FRAME),
  readFileSync(join(FIXTURES, 'graceful-pcapng.pcapng')),
));

/** The annotated outputs, English for every fixture and Chinese for one, in the order concatenated. */
const runs: Array<{ file: string; lang: Lang }> = [...captures.map((file) => ({ file, lang: 'en' as Lang })), { file: 'course-half-close.pcap', lang: 'zh' }];
const expected = new Map<string, { packets: Map<number, Expected>; summary: string }>();
/** Each run's packets in the concatenated file: the first frame number and the count. */
const frames = new Map<string, { first: number; count: number }>();
const ALL = join(tmp, 'all.pcapng');

beforeAll(async () => {
  let next = 1;
  const parts: Buffer[] = [];
  for (const { file, lang } of runs) {
    const code = await runAnnotate(join(FIXTURES, file), { output: out(file, lang), lang, application: 'teardown test' }, discard(), discard());
    expect(code, file).toBe(0);
    expected.set(`${file}.${lang}`, await expectedOf(file, lang));
    const count = (await recordsOf(out(file, lang))).records.length;
    frames.set(`${file}.${lang}`, { first: next, count });
    next += count;
    parts.push(readFileSync(out(file, lang)));
  }
  writeFileSync(ALL, Buffer.concat(parts));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('annotate: the same packets (docs/annotate.md)', () => {
  for (const file of captures) {
    it(`${file}: every record's bytes, lengths, time and link type, and the interfaces, read back by teardown; the same analysis`, async () => {
      const input = await recordsOf(join(FIXTURES, file));
      const output = await recordsOf(out(file, 'en'));
      expect(output.records).toEqual(input.records);
      expect(output.interfaces).toEqual(input.interfaces);
      // Rows, verdicts, causes, summary, drops and the capture's end (its interface statistics): all but the name and format.
      const [a, b] = await Promise.all([reportOf(join(FIXTURES, file)), reportOf(out(file, 'en'))]);
      expect({ ...b, capture: { ...b.capture, file: '', format: '' } }).toEqual({ ...a, capture: { ...a.capture, file: '', format: '' } });
    });
  }

  it('two sections, both byte orders, binary and picosecond timestamps: the same records, ticks and interfaces', async () => {
    const copy = join(tmp, 'mixed.out.pcapng');
    expect(await runAnnotate(MIXED, { output: copy, lang: 'en', application: 'x' }, discard(), discard())).toBe(0);
    const input = await recordsOf(MIXED, true);
    const output = await recordsOf(copy, true);
    expect(output).toEqual(input);
    expect(input.interfaces.map((i) => i.tsresol)).toEqual([0x80 | 20, 12, 6, 6]);
    expect(input.records[3]?.ticks).toBe(`${Number(1700000_123456789012n >> 32n)} ${Number(1700000_123456789012n & 0xffffffffn)}`);
    // A simple packet block becomes an enhanced one at the time teardown read it (ticks that undo the offset).
    const simpleCopy = join(tmp, 'simple.out.pcapng');
    expect(await runAnnotate(SIMPLE, { output: simpleCopy, lang: 'en', application: 'x' }, discard(), discard())).toBe(0);
    expect(await recordsOf(simpleCopy)).toEqual(await recordsOf(SIMPLE));
    expect((await recordsOf(SIMPLE)).records.map((r) => [r.tsSec, r.tsNsec])).toEqual([[0, 0], [-5, 7000]]);
  });

  it.skipIf(!hasTshark)('(needs tshark) tshark shows the same frames, times and bytes for a nanosecond pcap and pcapng (with statistics; two sections, binary and picosecond times)', async () => {
    const few = ['nanosecond-graceful.pcap', 'stuck-close-wait-isb.pcapng'];
    const pairs = [...few.flatMap((f) => [join(FIXTURES, f), out(f, 'en')]), MIXED, join(tmp, 'mixed.out.pcapng')];
    const dumps = await Promise.all(pairs.map((p) => tshark(['-r', p, '-P', '-x', '-t', 'e'])));
    expect(dumps[5]).toBe(dumps[4]);
    for (let i = 0; i < few.length; i++) {
      expect(dumps[2 * i + 1], few[i]).toBe(dumps[2 * i]);
      expect(dumps[2 * i]?.length).toBeGreaterThan(1000);
    }
  });
});

describe.skipIf(!hasTshark)('annotate: the comments, as tshark reads them (needs tshark)', () => {
  let comments: Map<number, string>;
  beforeAll(async () => {
    const json = JSON.parse(await tshark(['-r', ALL, '-T', 'json', '-e', 'frame.number', '-e', 'frame.comment'])) as Array<{ _source: { layers: { [k: string]: string[] | undefined } } }>;
    comments = new Map(json.map((p) => [Number(p._source.layers['frame.number']?.[0]), p._source.layers['frame.comment']?.[0] ?? '']));
  });

  for (const { file, lang } of runs) {
    it(`${file} (${lang}): each TCP packet's comment is its row's states and notes, and the verdict block on the packet that decides it`, () => {
      const { first, count } = frames.get(`${file}.${lang}`) as { first: number; count: number };
      const want = (expected.get(`${file}.${lang}`) as { packets: Map<number, Expected> }).packets;
      for (let no = 1; no <= count; no++) {
        expect(comments.get(first + no - 1), `${file} packet ${no}`).toBe(want.get(no)?.comment ?? '');
      }
    });
  }

  it('the course fixture\'s comments match the golden file', async () => {
    const { first, count } = frames.get('course-half-close.pcap.en') as { first: number; count: number };
    const shb = (expected.get('course-half-close.pcap.en') as { summary: string }).summary;
    const lines = [`Section: ${shb}`];
    for (let no = 1; no <= count; no++) lines.push(`#${no} ${comments.get(first + no - 1) ?? ''}`);
    golden(join(FIXTURES, 'course-half-close.annotate.txt'), lines.join('\n') + '\n');
  });

  it('the section comment is the Summary line, and the writer is named', async () => {
    const info = spawnSync('capinfos', ['-k', '-F', out('lab-mixed.pcap', 'en')], { encoding: 'utf8' });
    const summary = (expected.get('lab-mixed.pcap.en') as { summary: string }).summary;
    expect(summary).toMatch(/^Summary: \d+ connections/);
    expect(info.stdout).toContain(`Capture comment:     ${summary}`);
    expect(info.stdout).toContain('Capture application: teardown test');
  });
});

describe.skipIf(!hasTshark)('the Wireshark profile (wireshark/teardown; needs tshark)', () => {
  const home = join(tmp, 'home');
  beforeAll(() => {
    const profiles = join(home, '.config', 'wireshark', 'profiles');
    mkdirSync(profiles, { recursive: true });
    cpSync(join(ROOT, 'wireshark', 'teardown'), join(profiles, 'teardown'), { recursive: true });
  });

  /** Every packet of the concatenated file with what teardown says of it (undefined: not TCP). */
  const allPackets = (): Array<Expected | undefined> => runs.flatMap(({ file, lang }) => {
    const { count } = frames.get(`${file}.${lang}`) as { count: number };
    const want = (expected.get(`${file}.${lang}`) as { packets: Map<number, Expected> }).packets;
    return Array.from({ length: count }, (_, i) => want.get(i + 1));
  });
  const isFin = (p: Expected | undefined): boolean => p !== undefined && ((p.flags & TcpFlag.FIN) !== 0 || p.finAck);
  const isTrailing = (p: Expected | undefined): boolean => p !== undefined && /trailing data after|ACK of trailing data|data sent after|FIN 之后的数据|对 FIN 之后数据的确认/.test(p.comment.split('\n')[0] ?? '');

  it('colours each packet as teardown\'s table does: RST inverse red, FIN and its ACK red, trailing data yellow', async () => {
    const got = (await tshark(['-C', 'teardown', '--color', '-r', ALL, '-T', 'fields', '-e', 'frame.coloring_rule.name'], home)).split('\n').slice(0, -1);
    const names: Record<NoteTone, string> = { plain: '', rst: 'teardown RST', fin: 'teardown FIN and its ACK', trailing: 'teardown trailing data' };
    const want = allPackets().map((p) => (p === undefined ? '' : names[p.tone]));
    expect(got).toEqual(want);
    expect(new Set(got).size).toBe(4);
  });

  it('the filter buttons FIN, RST and trailing data each pick their packets', async () => {
    const buttons = readFileSync(join(ROOT, 'wireshark', 'teardown', 'dfilter_buttons'), 'utf8').split('\n').filter((l) => l.startsWith('"'))
      .map((l) => /^"TRUE","([^"]+)","((?:[^"\\]|\\.)*)"/.exec(l)).map((m) => ({ label: m?.[1] ?? '', filter: (m?.[2] ?? '').replace(/\\"/g, '"') }));
    expect(buttons.map((b) => b.label)).toEqual(['FIN', 'RST', 'trailing data']);
    const picks: Array<(p: Expected | undefined) => boolean> = [isFin, (p) => p !== undefined && (p.flags & TcpFlag.RST) !== 0, isTrailing];
    const all = allPackets();
    const got = await Promise.all(buttons.map((b) => tshark(['-C', 'teardown', '-r', ALL, '-Y', b.filter, '-T', 'fields', '-e', 'frame.number'], home)));
    buttons.forEach((b, i) => {
      const want = all.flatMap((p, no) => ((picks[i] as (p: Expected | undefined) => boolean)(p) ? [String(no + 1)] : []));
      expect(want.length, b.label).toBeGreaterThan(3);
      expect(got[i]?.split('\n').slice(0, -1), b.label).toEqual(want);
    });
  });

  it('adds the comment as a column of the packet list', async () => {
    const lines = (await tshark(['-C', 'teardown', '-r', out('refused.pcap', 'en')], home)).split('\n');
    expect(lines[0]).toMatch(/\[SYN\].* Client: SYN_SENT, Server: LISTEN\. Note: client SYN$/);
  });
});

describe('the command (docs/annotate.md)', () => {
  it('writes the same file from a file and from standard input to standard output; refuses to overwrite its input', () => {
    const file = join(tmp, 'cli.pcapng');
    const env = { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' };
    const a = spawnSync(process.execPath, [CLI, 'annotate', 'fixtures/course-half-close.pcap', '-o', file], { cwd: ROOT, env });
    expect([a.status, a.stderr.toString()]).toEqual([0, '']);
    const b = spawnSync(process.execPath, [CLI, 'annotate', '-', '-o', '-'], { cwd: ROOT, env, input: readFileSync(join(FIXTURES, 'course-half-close.pcap')) });
    expect([b.status, b.stderr.toString()]).toEqual([0, '']);
    expect(b.stdout.equals(readFileSync(file))).toBe(true);
  });

  it('refuses to write over its input, exit 2', async () => {
    const input = join(tmp, 'same.pcap');
    cpSync(join(FIXTURES, 'refused.pcap'), input);
    await expect(runAnnotate(input, { output: input, lang: 'en', application: 'x' }, discard(), discard())).rejects.toThrow(/is the capture being read/);
    expect(readFileSync(input).equals(readFileSync(join(FIXTURES, 'refused.pcap')))).toBe(true);
  });

  it('an output it cannot write, or a terminal, is refused before the capture is read, exit 2', async () => {
    const refused = join(FIXTURES, 'refused.pcap');
    await expect(runAnnotate(refused, { output: join(tmp, 'no-dir', 'x.pcapng'), lang: 'en', application: 'x' }, discard(), discard()))
      .rejects.toThrow(/^cannot write .*x\.pcapng: no such file or directory$/);
    const terminal = Object.assign(discard(), { isTTY: true });
    await expect(runAnnotate(refused, { output: '-', lang: 'en', application: 'x' }, terminal, discard())).rejects.toThrow(/not for a terminal/);
  });

  it('damaged input: the packets before the damage are written, exit 3', async () => {
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, readFileSync(join(FIXTURES, 'course-half-close.pcap')).subarray(0, 1000));
    const errors: string[] = [];
    const err = new Writable({ write: (c: Buffer, _e, done) => void (errors.push(c.toString()), done()) });
    expect(await runAnnotate(cut, { output: join(tmp, 'cut.pcapng'), lang: 'en', application: 'x' }, discard(), err)).toBe(3);
    expect(errors.join('')).toContain('damaged at byte offset 981 (packet 12)');
    const { records } = await recordsOf(join(tmp, 'cut.pcapng'));
    expect(records).toEqual((await recordsOf(join(FIXTURES, 'course-half-close.pcap'))).records.slice(0, 11));
  });
});
