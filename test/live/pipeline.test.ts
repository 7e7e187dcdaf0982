import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../golden/run-cli.js';
import { skip } from './can-capture.js';
import { closedPort, connect, sleep } from '../../src/lab/sockets.js';
import { groupMembers, readingInput, until } from '../input/proc.js';

/**
 * Ctrl-C in a real pipeline (docs/contract.md, "Interrupted input"): a shell pipeline in its own
 * process group, SIGINT sent to the whole group as a terminal sends it, real tcpdump on lo.
 */

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const TEARDOWN = `${q(process.execPath)} ${q(CLI)}`;

interface Run { code: number | null; stdout: string; stderr: string }

/** `sh -c script` as a process group; `ready` once its standard error has `marker`; `interrupt` sends SIGINT to the group. */
function pipeline(script: string, marker: string): { ready: Promise<void>; done: Promise<Run>; interrupt: () => void } {
  // The shell keeps the pipeline's status through the Ctrl-C, as an interactive one does (a trap, not an ignore: that would be inherited).
  const child = spawn('sh', ['-c', `trap : INT; ${script}`], { cwd: ROOT, detached: true, env: { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let heard: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { heard = resolve; });
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
    if (stderr.includes(marker)) heard();
  });
  const done = new Promise<Run>((resolve) => child.on('close', (code) => { heard(); resolve({ code, stdout, stderr }); }));
  const pgid = child.pid ?? 0;
  // tcpdump listening, and teardown reading: a Ctrl-C before its handlers are in place kills it, as any program.
  const bothReady = ready.then(() => until(() => groupMembers(pgid, CLI).some(readingInput), 'teardown reads its input'));
  return { ready: bothReady, done, interrupt: () => process.kill(-pgid, 'SIGINT') };
}

/** Three connection attempts to a closed port on 127.0.0.1: three refused connections. */
async function refusedThrice(port: number): Promise<void> {
  for (let i = 0; i < 3; i++) await connect(port).then((s) => s.destroy(), () => undefined);
}

describe.skipIf(skip)('Ctrl-C in a pipeline', () => {
  it('tcpdump -U -w - | teardown analyze -: the connections read are analysed and printed, exit 130', async () => {
    const port = await closedPort();
    const run = pipeline(`tcpdump -i lo -U --immediate-mode -w - 'tcp port ${port}' | ${TEARDOWN} analyze -`, 'listening on');
    await run.ready;
    await refusedThrice(port);
    await sleep(300);
    run.interrupt();
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout, r.stderr).toContain('Summary: 3 connections (refused 3)');
    expect(r.stderr).toMatch(/teardown: interrupted \(SIGINT\): the input ended there; the 6 packets read before it were analysed/);
  });

  it('teardown live | tee: tee ends with the same Ctrl-C; the summary comes on standard error', async () => {
    const port = await closedPort();
    const log = join(mkdtempSync(join(tmpdir(), 'teardown-tee-')), 'log');
    const run = pipeline(`${TEARDOWN} live -i lo --no-packets tcp port ${port} | tee ${q(log)}`, 'listening on');
    await run.ready;
    await refusedThrice(port);
    await sleep(300);
    run.interrupt();
    const r = await run.done;
    expect(r.stderr).toContain('teardown: the reader of standard output has gone (the same Ctrl-C ended it); the rest follows here');
    expect(r.stderr).toContain('Summary: 3 connections (refused 3)');
    expect(readFileSync(log, 'utf8')).not.toContain('Summary:');
  });

  it('live -c N -o FILE: stops after N packets, its output in FILE as it comes', async () => {
    const port = await closedPort();
    const out = join(mkdtempSync(join(tmpdir(), 'teardown-live-o-')), 'live.txt');
    const run = pipeline(`${TEARDOWN} live -i lo -c 2 -o ${q(out)} --no-packets tcp port ${port}`, 'listening on');
    await run.ready;
    await refusedThrice(port);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('Summary: 1 connection (refused 1)');
  });
});
