import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden } from './golden.js';
import { analyzeInProcess } from './run-analyze.js';
import { ROOT, runCli } from './run-cli.js';
import { CSV_COLUMNS } from '../../src/render/csv.js';
import { zeekConnState } from '../../src/render/zeek.js';

/**
 * The one-record-a-connection forms (docs/contract.md, "Zeek's conn.log", "CSV") and ndjson's
 * absolute times, on every fixture: each form names the same connections with the same values as
 * ndjson. The TSV is read as zeek-cut reads it (Debian 12 has no zeek package: zeekCut below is
 * its header rule), the CSV by Python's csv module, a real RFC 4180 reader.
 */
const FIXTURES = join(ROOT, 'fixtures');
const captures = readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

/** zeek-cut's rule: the columns are named by the `#fields` line; other `#` lines are skipped. */
function zeekCut(log: string, columns: string[]): string[][] {
  let fields: string[] | undefined;
  const rows: string[][] = [];
  for (const line of log.split('\n')) {
    if (line.startsWith('#fields\t')) fields = line.split('\t').slice(1);
    if (line === '' || line.startsWith('#')) continue;
    if (fields === undefined) throw new Error('a record before #fields');
    const cells = line.split('\t');
    expect(cells.length).toBe(fields.length);
    rows.push(columns.map((c) => cells[(fields as string[]).indexOf(c)] ?? '?'));
  }
  return rows;
}

interface Flow {
  id: number;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  startTime: number;
  endTime: number;
  bytes: { client: number; server: number };
  history: string;
  teardown: { class: string; detail: string | null; closer: string | null; causes: Array<{ id: string }> };
  startIso: string;
  endIso: string;
  startEpoch: number;
  endEpoch: number;
}

const ndjson = async (rel: string): Promise<{ flows: Flow[]; firstTime: number | null }> => {
  const r = await analyzeInProcess(rel, { format: 'ndjson', packets: false });
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const tail = lines.pop() as { capture: { firstTime: number | null } };
  return { flows: (lines as unknown as Flow[]).sort((a, b) => a.id - b.id), firstTime: tail.capture.firstTime };
};

const ZEEK_STATES = ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'];

describe('zeek, zeek-json and csv', () => {
  for (const file of captures) {
    it(`${file}: the same connections and values as ndjson`, async () => {
      const rel = `fixtures/${file}`;
      const { flows, firstTime } = await ndjson(rel);

      // ndjson's absolute times: ISO 8601 and epoch name the same instants as the relative times.
      for (const f of flows) {
        expect(f.startIso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.(\d{6}|\d{9})Z$/);
        expect(Date.parse(f.startIso) / 1000).toBeCloseTo(f.startEpoch, 2);
        expect(Date.parse(f.endIso) / 1000).toBeCloseTo(f.endEpoch, 2);
        expect(f.startEpoch - (firstTime ?? 0)).toBeCloseTo(f.startTime, 5);
        expect(f.endEpoch - f.startEpoch).toBeCloseTo(f.endTime - f.startTime, 5);
      }

      const tsv = await analyzeInProcess(rel, { format: 'zeek' });
      expect(tsv.code).toBe(0);
      const head = tsv.stdout.split('\n').slice(0, 8);
      expect(head.slice(0, 5)).toEqual(['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn']);
      expect(head[5]).toMatch(/^#open\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/);
      expect(head[7]?.split('\t').length).toBe(head[6]?.split('\t').length);
      expect(tsv.stdout).toMatch(/\n#close\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\n$/);
      const cols = ['uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'orig_bytes', 'resp_bytes', 'history', 'class', 'detail', 'closer', 'causes', 'conn_state', 'ts'];
      const rows = zeekCut(tsv.stdout, cols).sort((a, b) => Number(a[0]?.slice(1)) - Number(b[0]?.slice(1)));
      expect(rows.map((r) => r.slice(0, 12))).toEqual(flows.map((f) => [
        `C${f.id}`, f.client.ip, String(f.client.port), f.server.ip, String(f.server.port), String(f.bytes.client), String(f.bytes.server),
        f.history, f.teardown.class, f.teardown.detail ?? '-', f.teardown.closer ?? '-',
        f.teardown.causes.length ? f.teardown.causes.map((c) => c.id).join(',') : '(empty)',
      ]));
      for (const [i, r] of rows.entries()) {
        expect(ZEEK_STATES).toContain(r[12]);
        expect(Number(r[13])).toBeCloseTo(flows[i]?.startEpoch ?? NaN, 5);
      }

      const json = await analyzeInProcess(rel, { format: 'zeek-json' });
      const records = json.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records.map((r) => [r['uid'], r['id.orig_h'], r['id.orig_p'], r['conn_state'], r['ts'], r['history']]).sort())
        .toEqual(zeekCut(tsv.stdout, ['uid', 'id.orig_h', 'id.orig_p', 'conn_state', 'ts', 'history'])
          .map(([uid, h, p, state, ts, history]) => [uid, h, Number(p), state, Number(ts), history]).sort());

    });
  }

  it('csv: Python csv module reads every fixture table: the header and the ndjson values', async () => {
    const tables: string[] = [];
    const want: unknown[] = [];
    for (const file of captures) {
      tables.push((await analyzeInProcess(`fixtures/${file}`, { format: 'csv' })).stdout);
      want.push((await ndjson(`fixtures/${file}`)).flows.map((f) => [String(f.id), f.client.ip, String(f.server.port), f.teardown.class, f.startIso, f.endEpoch]).sort());
    }
    const read = 'import csv, io, json, sys; print(json.dumps([list(csv.reader(io.StringIO(t, newline=""), strict=True)) for t in json.load(sys.stdin)]))';
    const parsed = spawnSync('python3', ['-c', read], { input: JSON.stringify(tables) });
    expect(parsed.status, parsed.stderr.toString()).toBe(0);
    const at = (name: string): number => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    const got = (JSON.parse(parsed.stdout.toString()) as string[][][]).map((table) => {
      expect(table[0]).toEqual([...CSV_COLUMNS]);
      for (const row of table) expect(row.length).toBe(CSV_COLUMNS.length);
      return table.slice(1).map((r) => [r[at('id')], r[at('client.ip')], r[at('server.port')], r[at('teardown.class')], r[at('startIso')], Number(r[at('endEpoch')])]).sort();
    });
    expect(got).toEqual(want);
  });

  // docs/verdicts.md, "Summary": the Zeek conn_state of each pattern.
  it.each([
    ['refused', null, null, 'partial', 'Sr', 'REJ'],
    ['graceful', 'client', null, 'complete', 'ShADadFf', 'SF'],
    ['abort', 'client', 'client', 'complete', 'ShADadR', 'RSTO'],
    ['abort', 'server', 'server', 'complete', 'ShADadr', 'RSTR'],
    ['abort', 'client', 'client', 'partial', 'SR', 'RSTOS0'],
    ['abort', 'server', 'server', 'none', 'Dr', 'RSTRH'],
    ['stuck', 'client', null, 'complete', 'ShADadF', 'S2'],
    ['stuck', 'server', null, 'complete', 'ShADadf', 'S3'],
    ['stuck', 'client', null, 'none', 'SADF', 'SH'],
    ['unanswered', null, null, 'partial', 'S', 'S0'],
    ['open', null, null, 'complete', 'ShADad', 'S1'],
    ['open', null, null, 'none', 'Dd', 'OTH'],
  ] as const)('conn_state of %s (closer %s, reset by %s, handshake %s, history %s) is %s', (cls, closer, resetBy, handshake, history, state) => {
    expect(zeekConnState({ class: cls, closer, resetBy }, handshake, history)).toBe(state);
  });

  it('lab-mixed in each form matches its golden file', async () => {
    for (const [format, ext] of [['zeek', 'conn.log'], ['zeek-json', 'conn.json'], ['csv', 'csv']] as const) {
      const r = await analyzeInProcess('fixtures/lab-mixed.pcap', { format });
      golden(join(FIXTURES, `lab-mixed.${ext}`), r.stdout);
    }
  });

  it('the built CLI writes the same log', async () => {
    const r = runCli(['analyze', 'fixtures/lab-mixed.pcap', '--format', 'zeek']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe((await analyzeInProcess('fixtures/lab-mixed.pcap', { format: 'zeek' })).stdout);
  });

  // Zeek's verdicts for public captures (../shared/peer-corpus, outside the repository): conn_state
  // agrees where docs/verdicts.md ("Where we disagree with Zeek") does not say otherwise.
  // Beside the main checkout, or two levels up from a worktree of it.
  const corpus = [join(ROOT, '..', 'shared', 'peer-corpus'), join(ROOT, '..', '..', 'shared', 'peer-corpus')].find(existsSync) ?? '';
  it.skipIf(corpus === '')('conn_state agrees with Zeek on the peer corpus (117 of 133 connections)', async () => {
    const norm = (ip: string): string => ip.toLowerCase();
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : /\.pcap(ng)?$/.test(d.name) ? [join(dir, d.name)] : []));
    let agree = 0;
    let total = 0;
    for (const cap of walk(corpus).filter((c) => existsSync(`${c}.zeek-conn.tsv`))) {
      const ours = zeekCut((await analyzeInProcess(cap, { format: 'zeek' })).stdout, ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'conn_state']);
      const key = (r: string[]): string => [`${norm(r[0] ?? '')}/${r[1]}`, `${norm(r[2] ?? '')}/${r[3]}`].sort().join(' ');
      const lines = readFileSync(`${cap}.zeek-conn.tsv`, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
      const header = (lines.shift() ?? '').split('\t');
      for (const line of lines) {
        const cells = line.split('\t');
        const z = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'conn_state'].map((c) => cells[header.indexOf(c)] ?? '');
        total++;
        if (ours.some((r) => key(r) === key(z) && r[4] === z[4])) agree++;
      }
    }
    expect(total).toBe(133);
    expect(agree).toBeGreaterThanOrEqual(117);
  });
});
