import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../golden/run-cli.js';
import { spreadCapture } from './spread.js';
import { readingInput, until } from './proc.js';

/**
 * How a run stops (docs/contract.md, "Interrupted input", "Exit codes"): a real pipe into the built
 * CLI, a real signal, a real reader that goes away.
 */

type Cli = ChildProcessByStdio<Writable, Readable, Readable>;

function startCli(args: string[]): { child: Cli; stdout: Buffer[]; stderr: Buffer[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => stdout.push(b));
  child.stderr.on('data', (b: Buffer) => stderr.push(b));
  child.stdin.on('error', () => undefined); // EPIPE once it has gone: what one test waits for
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Ctrl-C ends the input, not the analysis', () => {
  // Five connections, then half of a sixth's first record: the pipe stays open, its writer silent.
  const whole = spreadCapture(6, 1);
  const fiveEnd = 24 + 5 * (8 * (16 + 40) + 10); // 8 records of headers only, one with 10 bytes
  const part = whole.subarray(0, fiveEnd + 30);

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it.concurrent(`${signal} while standard input is open: the connections read are printed, exit ${status}`, async () => {
      const run = startCli(['analyze', '-']);
      const pid = run.child.pid ?? 0;
      await until(() => readingInput(pid), 'teardown reads standard input');
      run.child.stdin.write(part);
      await sleep(50);
      run.child.kill(signal);
      const code = await run.exited;
      const out = Buffer.concat(run.stdout).toString('utf8');
      const err = Buffer.concat(run.stderr).toString('utf8');
      expect(code, err).toBe(status);
      expect(out).toContain('Summary: 5 connections (graceful 5)');
      for (let id = 1; id <= 5; id++) expect(out).toContain(`Connection ${id}: 10.0.0.1:${20000 + id - 1}`);
      expect(out).toMatch(/Verdict: graceful/);
      // The sixth record, cut by the stop, is not damage.
      expect(err).toBe(`teardown: interrupted (${signal}): the input ended there; the 40 packets read before it were analysed\n`);
      run.child.stdin.destroy();
    });
  }
});

describe('a reader that goes away', () => {
  it('stops the run at the first write after it, also once the input is read (the report written at the end)', async () => {
    // 8,000 connections a millisecond apart: none is released before the input ends, so the whole
    // report is written at the end. A preloaded module counts the bytes handed to standard output
    // (through Node's stream and through write(2) on descriptor 1) and writes the sum at exit.
    const dir = mkdtempSync(join(tmpdir(), 'teardown-gone-'));
    const capture = join(dir, 'c.pcap');
    const counted = join(dir, 'offered');
    const preload = join(dir, 'count.mjs');
    writeFileSync(capture, spreadCapture(8000, 0.001));
    writeFileSync(preload, [
      `import fs, { writeFileSync } from 'node:fs';`,
      `import { syncBuiltinESMExports } from 'node:module';`,
      `let offered = 0;`,
      `const writeSync = fs.writeSync;`,
      `fs.writeSync = function (fd, b, ...rest) { if (fd === 1) offered += b.length; return writeSync.call(this, fd, b, ...rest); };`,
      `syncBuiltinESMExports();`,
      `const write = process.stdout.write;`,
      `process.stdout.write = function (b, ...rest) { offered += b.length; return write.call(this, b, ...rest); };`,
      `process.on('exit', () => writeFileSync(${JSON.stringify(counted)}, String(offered)));`,
    ].join('\n'));
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, CLI, 'analyze', capture, '--format', 'ndjson', '--no-packets'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, err).toBe(0);
    expect(err).toBe('');
    // Measured: the first write (about 128 KB) and the one that failed. Through Node's pipe stream,
    // the whole report (5.3 MB) was built and handed over after the reader had left.
    expect(Number(readFileSync(counted, 'utf8'))).toBeLessThan(1024 * 1024);
  });

  it('stops the read at the first write after it (| head): far less than the input is read', async () => {
    // 6,000 connections a second apart: connections are released, and the ndjson streamed, while
    // the input is still being fed.
    const input = spreadCapture(6000, 1);
    const run = startCli(['analyze', '-', '--format', 'ndjson', '--no-packets']);
    let fed = 0;
    let gone = false;
    run.child.stdout.once('data', () => {
      run.child.stdout.destroy(); // as head does once it has its line
      gone = true;
    });
    const exited = run.exited.then((code) => {
      gone = true;
      return code;
    });
    const STEP = 16 * 1024;
    while (fed < input.length && !run.child.stdin.destroyed) {
      const more = input.subarray(fed, fed + STEP);
      fed += more.length;
      await new Promise<void>((resolve) => run.child.stdin.write(more, () => resolve()));
      if (gone) await sleep(5);
    }
    run.child.stdin.end();
    const code = await exited;
    expect(code).toBe(0);
    expect(Buffer.concat(run.stderr).toString('utf8')).toBe('');
    // Measured: the first line comes about 130 KB in, the next write (the first to fail) about 100 KB later.
    expect(fed).toBeLessThan(input.length / 2);
  });
});
