import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ViewOptions } from '../../src/cli/options.js';
import { fixtureCaptures, FIXTURES } from '../unit/fixtures.js';
import { analyzeInProcess, viewOptionsOf } from './run-analyze.js';
import { ROOT } from './run-cli.js';
import type { CliRun } from './run-cli.js';

/**
 * `analyze --jobs N` (docs/design.md, "Jobs") writes what one job writes, byte for byte. The
 * workers run the built code (dist/cli/jobs-worker.js: a worker thread loads a file, not the
 * sources vitest compiles), so the runs here go through dist's runAnalyze, in this process.
 *
 * Fixtures with a feature of their own (pcapng and its statistics, nanoseconds, fragments in a
 * tunnel, port reuse, IPv6) in ndjson, a mixed one in every format the jobs write;
 * and a generated capture whose connections end over minutes (sweeps release them as the capture
 * goes, not only at its end) and live long (released at the end), in every format, with a
 * selection too. Each run starts its workers (about 0.1 s of CPU each): the cases are few.
 */
type Analyze = typeof import('../../src/cli/commands/analyze.js');
let analyze: Analyze;
const tmp = mkdtempSync(join(tmpdir(), 'teardown-jobs-'));
const generated = join(tmp, 'gen-jobs.pcap');

const run = (path: string, o: Partial<ViewOptions>): Promise<CliRun> => analyzeInProcess(path, o, analyze.runAnalyze);

/** The run on `jobs` threads equals the run on one. */
async function same(path: string, o: Partial<ViewOptions>, jobs: number): Promise<void> {
  const one = await run(path, { ...o, jobs: 1 });
  const many = await run(path, { ...o, jobs });
  expect(many.stdout.length, `${path} ${o.format ?? 'text'} --jobs ${jobs}`).toBe(one.stdout.length);
  expect(many, `${path} ${o.format ?? 'text'} --jobs ${jobs}`).toEqual(one);
}

const FORMATS = ['ndjson', 'json', 'csv', 'zeek', 'zeek-json'] as const;
const FEATURED = ['stuck-close-wait-isb.pcapng', 'nanosecond-graceful.pcap', 'fragments-vxlan.pcap', 'port-reuse.pcap', 'ipv6-graceful.pcap'];

beforeAll(async () => {
  analyze = (await import(join(ROOT, 'dist', 'cli', 'commands', 'analyze.js'))) as Analyze;
  const g = spawnSync(process.execPath, ['scripts/bench/generate.mjs', generated, '--packets', '8000', '--seed', '7', '--long-lived', '6', '--span', '400'], { cwd: ROOT, encoding: 'utf8' });
  expect(g.status, g.stderr).toBe(0);
});

describe('--jobs N writes what one job writes', () => {
  it('fixtures with a feature of their own, ndjson, 2 jobs; a mixed one in every format, 3 jobs', async () => {
    for (const name of FEATURED) expect(fixtureCaptures()).toContain(name);
    for (const name of FEATURED) await same(join(FIXTURES, name), { format: 'ndjson', packets: false }, 2);
    for (const format of FORMATS.slice(1)) await same(join(FIXTURES, 'lab-mixed.pcap'), { format, packets: false }, 3);
  });

  it('a generated capture of connections that end over minutes, every format, 2 jobs (ndjson 3 too)', async () => {
    for (const format of FORMATS) await same(generated, { format, packets: false }, 2);
    await same(generated, { format: 'ndjson', packets: false }, 3);
  });

  it('a selection: its lines and its heading counts', async () => {
    await same(generated, { format: 'ndjson', packets: false, class: ['graceful', 'stuck'], port: [443, 80, 8080] }, 2);
  });
});

describe('what runs on one thread', () => {
  const input = { paths: ['x.pcap'], filter: [] };
  const o = (more: Partial<ViewOptions>): ViewOptions => viewOptionsOf({ format: 'ndjson', packets: false, jobs: 4, ...more });
  it('the jobs write ndjson, json, zeek, zeek-json and csv without packet rows, from one capture read whole', () => {
    expect(analyze.jobsFor(o({}), input, false, 'ndjson', 1000)).toBe(4);
    expect(analyze.jobsFor(o({ format: 'csv' }), input, false, 'records', 1000)).toBe(4);
    expect(analyze.jobsFor(o({ format: 'text' }), input, false, 'text-streamed', 1000)).toBe(1);
    expect(analyze.jobsFor(o({}), input, true, 'ndjson', 1000)).toBe(1);
    expect(analyze.jobsFor(o({ flow: [3] }), input, false, 'ndjson', 1000)).toBe(1);
    expect(analyze.jobsFor(o({}), { paths: ['a.pcap', 'b.pcap'], filter: [] }, false, 'ndjson', 1000)).toBe(1);
    expect(analyze.jobsFor(o({}), { paths: ['x.pcap'], filter: ['port', '80'] }, false, 'ndjson', 1000)).toBe(1);
    expect(analyze.jobsFor(o({}), { paths: ['x.pcap'], filter: [], count: 10 }, false, 'ndjson', 1000)).toBe(1);
  });
  it('without --jobs, a small capture file runs on one thread; a large one on a worker for each core but one, from three cores', () => {
    expect([1, 2, 3, 4, 16].map((cores) => analyze.defaultJobs(cores))).toEqual([1, 1, 2, 3, 15]);
    const d = (more: Partial<ViewOptions>): ViewOptions => viewOptionsOf({ format: 'ndjson', packets: false, ...more });
    expect(analyze.jobsFor(d({}), input, false, 'ndjson', analyze.JOBS_MIN_BYTES - 1)).toBe(1);
    expect(analyze.jobsFor(d({}), input, false, 'ndjson', undefined)).toBe(1);
    expect(analyze.jobsFor(d({ jobs: 1 }), input, false, 'ndjson', analyze.JOBS_MIN_BYTES)).toBe(1);
  });
});
