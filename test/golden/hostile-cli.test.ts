import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from './run-cli.js';

/**
 * Hostile input at the command line (docs/testing.md, "Hostile input"): an output that cannot be
 * written, file names holding terminal escapes, option values out of range. Through the built CLI:
 * exit statuses and standard error are what is tested.
 */
const tmp = mkdtempSync(join(tmpdir(), 'teardown-hostile-'));
const fixture = (name: string): Buffer => readFileSync(join(ROOT, 'fixtures', name));

/** The built CLI with its standard output on /dev/full: every write fails with ENOSPC. */
function intoFullDisk(args: string[]): { code: number; stderr: string } {
  const full = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      cwd: ROOT, env: { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' }, stdio: ['ignore', full, 'pipe'], timeout: 60_000,
    });
    return { code: r.status ?? -1, stderr: r.stderr.toString('utf8') };
  } finally {
    closeSync(full);
  }
}

const FULL = 'teardown: cannot write the output: no space left on device\n';

describe.skipIf(!existsSync('/dev/full'))('an output that cannot be written: one line, exit 2 (docs/contract.md, "Exit codes")', () => {
  // It was a stack trace and exit 1.
  it.each([
    ['analyze, text', ['analyze', 'fixtures/lab-mixed.pcap']],
    ['analyze, text without rows', ['analyze', 'fixtures/lab-mixed.pcap', '--no-packets']],
    ['analyze, json', ['analyze', 'fixtures/lab-mixed.pcap', '--format', 'json']],
    ['analyze, ndjson', ['analyze', 'fixtures/lab-mixed.pcap', '--format', 'ndjson']],
    ['check', ['check', 'fixtures/refused.pcap']],
    ['check, json', ['check', 'fixtures/refused.pcap', '--format', 'json']],
    ['report to standard output', ['report', 'fixtures/lab-mixed.pcap', '-o', '-']],
  ])('%s', (_name, args) => {
    expect(intoFullDisk(args)).toEqual({ code: 2, stderr: FULL });
  });

  it('report -o /dev/full names the file', () => {
    const r = runCli(['report', 'fixtures/lab-mixed.pcap', '-o', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('teardown: cannot write /dev/full: no space left on device\n');
  });
});

describe('file names with terminal escapes are printed escaped (docs/contract.md, "Damaged input")', () => {
  const hostile = 'x\x1b]0;pwned\x07\x1b[2J\u009b31m\nforged line';
  const shown = 'x\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x0aforged line';

  it('a damaged capture: the damage line shows the name escaped; the JSON keeps it as it is', () => {
    const file = join(tmp, `${hostile}.pcap`);
    writeFileSync(file, fixture('course-half-close.pcap').subarray(0, 1000));
    const r = runCli(['analyze', file, '--format', 'json', '--no-packets']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`teardown: ${join(tmp, shown)}.pcap: damaged at byte offset 981 (packet 12): record cut short: header says 69 bytes, 3 left; the packets before it were analysed\n`);
    expect((JSON.parse(r.stdout) as { errors: Array<{ file: string }> }).errors[0]?.file).toBe(file);
  });

  it('a missing capture and one that is not a capture: one line each, escaped', () => {
    const missing = runCli(['analyze', join(tmp, `${hostile}-missing.pcap`)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`teardown: cannot read ${join(tmp, shown)}-missing.pcap: no such file\n`);
    const notCapture = join(tmp, `${hostile}.txt`);
    writeFileSync(notCapture, 'hello, world');
    const r = runCli(['report', notCapture, '-o', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^teardown: [^\n\x1b\x9b]*\\x1b\]0;pwned[^\n\x1b\x9b]*: not a capture file: starts with 68 65 6c 6c[^\n]*\n$/);
  });

  it('a usage error echoing an argument', () => {
    const r = runCli(['analyze', 'fixtures/refused.pcap', `--${hostile}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\x1b\x9b\x07]/);
    expect(r.stderr.split('\n')).toHaveLength(3); // the message, the --help hint, the end
  });
});

describe('--flow and --port out of range: a usage error, exit 2 (docs/contract.md, "Common options")', () => {
  // They were taken: `--flow abc` became NaN and picked nothing, `--port 70000` matched nothing.
  it.each([
    [['--flow', 'abc'], '--flow takes a connection number, a whole number from 1 to 9007199254740991 (got not a number)'],
    [['--flow', '0'], '--flow takes a connection number, a whole number from 1 to 9007199254740991 (got 0)'],
    [['--flow', '1.5'], '--flow takes a connection number, a whole number from 1 to 9007199254740991 (got 1.5)'],
    [['--flow', '1', '--flow', 'two'], '--flow takes a connection number, a whole number from 1 to 9007199254740991 (got not a number)'],
    [['--port', '70000'], '--port takes a port number, a whole number from 0 to 65535 (got 70000)'],
    [['--port', '-1'], '--port takes a port number, a whole number from 0 to 65535 (got -1)'],
    [['--port', 'http'], '--port takes a port number, a whole number from 0 to 65535 (got not a number)'],
  ])('analyze %j', (args, message) => {
    const r = runCli(['analyze', 'fixtures/refused.pcap', ...args]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `teardown: ${message}\nRun 'teardown --help' for usage.\n` });
  });

  it('report too; numbers in range still pick (here nothing: said, exit 2; docs/contract.md, "Selection")', () => {
    expect(runCli(['report', 'fixtures/refused.pcap', '-o', '-', '--port', '65536']).code).toBe(2);
    expect(runCli(['report', 'fixtures/refused.pcap', '-o', '-', '--flow', '-3']).code).toBe(2);
    const picked = runCli(['analyze', 'fixtures/lab-mixed.pcap', '--format', 'ndjson', '--no-packets', '--flow', '2', '--port', '0', '--port', '65535']);
    expect(picked).toEqual({ code: 2, stdout: '', stderr: 'teardown: no connection matches --flow 2 --port 0 --port 65535 (the capture has 6 connections)\n' });
  });
});
