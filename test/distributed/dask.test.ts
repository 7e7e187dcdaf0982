import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from '../golden/run-cli.js';

/**
 * The distributed example (examples/dask/shards.py, docs/distributed.md) on a real Dask
 * LocalCluster of two worker processes: a generated capture of 200,000 packets over two minutes cut
 * into three shards, a task each, merged; the result is the single run's ndjson byte for byte.
 * Debian's python3-dask and python3-distributed, for the system's Python (.ci/run installs them).
 */
const PYTHON = '/usr/bin/python3';
const haveDask = spawnSync(PYTHON, ['-c', 'import dask.distributed'], { stdio: 'ignore' }).status === 0;
if (!haveDask) console.warn('test/distributed/dask.test.ts: skipped: /usr/bin/python3 has no dask.distributed (apt-get install python3-dask python3-distributed; .ci/run installs them)');

const dir = mkdtempSync(join(tmpdir(), 'teardown-dask-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveDask)('examples/dask/shards.py', () => {
  it('merges three shards run as Dask tasks into the single run\'s output', () => {
    const capture = join(dir, 'gen.pcap');
    const gen = spawnSync(process.execPath, [join(ROOT, 'scripts/bench/generate.mjs'), capture, '--packets', '200000', '--long-lived', '10', '--span', '120']);
    expect(gen.status).toBe(0);
    const merged = join(dir, 'merged.ndjson');
    const job = spawnSync(PYTHON, [join(ROOT, 'examples/dask/shards.py'), capture, '--shards', '3', '--workers', '2',
      '--work', join(dir, 'work'), '-o', merged, '--teardown', `${process.execPath} ${CLI}`], { encoding: 'utf8', timeout: 120_000 });
    expect(job.status, job.stderr).toBe(0);
    expect(job.stderr).toContain('3 tasks and the merge');
    const whole = runCli(['analyze', capture, '--format', 'ndjson', '--no-packets']);
    expect(whole.code).toBe(0);
    expect(readFileSync(merged, 'utf8')).toBe(whole.stdout);
  }, 120_000);
});
