import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from '../golden/run-cli.js';
import { skip } from './can-capture.js';
import { closedPort, connect, sleep } from '../../src/lab/sockets.js';

/**
 * `live` under hostile conditions (docs/testing.md, "Hostile input"): limits that would stop a
 * capture at once, a -w file that a failed start must not empty, tcpdump outliving teardown (it
 * runs as root), tcpdump killed mid-capture, a filter after `--`. Through the built CLI; the
 * captures need root and tcpdump, as test/live/live.test.ts does.
 */

const dir = mkdtempSync(join(tmpdir(), 'teardown-live-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  child: ChildProcessWithoutNullStreams;
  listening: Promise<void>;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
}

function startCli(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let heard: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => { heard = resolve; });
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
  child.stdout.on('error', () => undefined);
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
    if (stderr.includes('listening on')) heard();
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      heard();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, listening, done };
}

/** The tcpdump a process started (its child, by /proc). */
function tcpdumpOf(parent: number): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S (\d+)/.exec(stat);
      if (m?.[1] === 'tcpdump' && Number(m[2]) === parent) return Number(name);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

/** Whether a process is still there (a zombie counts as gone: it no longer captures). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Milliseconds until `pid` is gone, or -1 after `limitMs`. */
async function goneWithin(pid: number, limitMs: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    if (!alive(pid)) return Date.now() - t0;
    await sleep(20);
  }
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return -1;
}

describe('live: --duration and --count that would stop a capture at once are usage errors', () => {
  for (const bad of ['abc', '-1', '0', '3000000']) {
    it(`--duration ${bad}: exit 2, one line, no capture`, () => {
      const r = runCli(['live', '-i', 'lo', '--duration', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^teardown: --duration must be a number of seconds above 0 and at most 2147483 \(24\.8 days\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('listening');
    });
  }
  it('--count -5: exit 2', () => {
    const r = runCli(['live', '-i', 'lo', '--count', '-5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^teardown: --count must be a whole number/);
  });
  for (const [option, bad, says] of [['--stuck-after', '-1', '--stuck-after must be'], ['--stuck-after', 'soon', '--stuck-after must be'], ['--snaplen', '9999999', '--snaplen must be'], ['--snaplen', '1.5', '--snaplen must be']]) {
    it(`${option} ${bad}: exit 2, one line, no capture`, () => {
      const r = runCli(['live', '-i', 'lo', option as string, bad as string, '--duration', '1']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`teardown: ${says}`)]);
    });
  }
  it('lab --duration NaN: exit 2', () => {
    const r = runCli(['lab', 'graceful', '--duration', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--duration must be');
  });
});

describe('live: the -w file', () => {
  it.skipIf(skip)('a capture that cannot start leaves an existing file as it was, and creates none', () => {
    const kept = join(dir, 'kept.pcap');
    writeFileSync(kept, 'precious');
    for (const args of [['-i', 'no-such-if0'], ['-i', 'lo', 'tcp', 'port', 'nonsense']]) {
      const r = runCli(['live', ...args, '-w', kept, '--duration', '1']);
      expect(r.code).toBe(2);
      expect(readFileSync(kept, 'utf8')).toBe('precious');
      const fresh = join(dir, 'fresh.pcap');
      expect(runCli(['live', ...args, '-w', fresh, '--duration', '1']).code).toBe(2);
      expect(existsSync(fresh)).toBe(false);
    }
  });

  it.skipIf(skip)('a capture that starts replaces it', async () => {
    const file = join(dir, 'replaced.pcap');
    writeFileSync(file, 'x'.repeat(100_000));
    const port = await closedPort();
    const run = startCli(['live', '-i', 'lo', '--count', '2', '--format', 'ndjson', '-w', file, 'tcp', 'port', String(port)]);
    await run.listening;
    await connect(port).catch(() => undefined);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    const back = runCli(['analyze', file, '--format', 'ndjson']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('"class":"refused"');
  });
});

describe('live: tcpdump never outlives teardown', () => {
  for (const signal of ['SIGKILL', 'SIGHUP', 'SIGQUIT'] as const) {
    it.skipIf(skip)(`teardown killed by ${signal}: its tcpdump ends too`, async () => {
      const run = startCli(['live', '-i', 'lo', '--format', 'ndjson', 'tcp', 'port', '9']);
      await run.listening;
      const pid = run.child.pid ?? -1;
      const tcpdump = tcpdumpOf(pid);
      expect(tcpdump, 'tcpdump is a child of teardown').toBeDefined();
      run.child.kill(signal);
      await run.done;
      const ms = await goneWithin(tcpdump as number, 3000);
      expect(ms, `tcpdump ${tcpdump} still running 3 s after teardown died of ${signal}`).toBeGreaterThanOrEqual(0);
    });
  }

  it.skipIf(skip)('teardown ended by a closed pipe (| head): its tcpdump ends too', async () => {
    const port = await closedPort();
    const run = startCli(['live', '-i', 'lo', '--color', 'never', 'tcp', 'port', String(port)]);
    await run.listening;
    const tcpdump = tcpdumpOf(run.child.pid ?? -1);
    expect(tcpdump).toBeDefined();
    run.child.stdout.destroy();
    // Rows to write into the closed pipe: teardown stops quietly, as under `| head`.
    for (let i = 0; i < 3; i++) await connect(port).catch(() => undefined);
    const r = await Promise.race([run.done, sleep(5000).then(() => undefined)]);
    expect(r, 'teardown exits once its output is gone').toBeDefined();
    expect(await goneWithin(tcpdump as number, 3000)).toBeGreaterThanOrEqual(0);
  });
});

describe('live: tcpdump killed mid-capture', () => {
  it.skipIf(skip)('exit 2 with a message; what came before is printed', async () => {
    const run = startCli(['live', '-i', 'lo', '--format', 'ndjson', 'tcp', 'port', '9']);
    await run.listening;
    const tcpdump = tcpdumpOf(run.child.pid ?? -1);
    expect(tcpdump).toBeDefined();
    process.kill(tcpdump as number, 'SIGKILL');
    const r = await run.done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('teardown: tcpdump was killed by SIGKILL during the capture; the packets before it were analysed');
    expect(r.stdout).toContain('"summary"');
  });
});

describe('live: a filter after --', () => {
  it.skipIf(skip)('is the capture filter, as without --', async () => {
    const port = await closedPort();
    const run = startCli(['live', '-i', 'lo', '--count', '2', '--format', 'json', '--', 'tcp', 'port', String(port)]);
    await run.listening;
    await connect(port).catch(() => undefined);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`(filter 'tcp port ${port}')`);
    const doc = JSON.parse(r.stdout) as { capture: { filter: string }; flows: Array<{ server: { port: number } }> };
    expect(doc.capture.filter).toBe(`tcp port ${port}`);
    expect(doc.flows.map((f) => f.server.port)).toEqual([port]);
  });
});
