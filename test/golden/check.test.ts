import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import {
  chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, truncateSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from './run-cli.js';
import type { CliRun } from './run-cli.js';

const fixture = (name: string): string => join(ROOT, 'fixtures', name);

describe('teardown check (docs/contract.md, "Expectation files")', () => {
  it('passes over the project fixtures', () => {
    const r = runCli(['check', 'fixtures']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^check: \d+ captures, \d+ connections, 0 mismatches$/m);
  });

  it('prints a diff per mismatch and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-check-'));
    copyFileSync(fixture('course-close-then-data.pcap'), join(dir, 'lab.pcap'));
    writeFileSync(join(dir, 'lab.expect.json'), JSON.stringify({ flows: [{ class: 'half-close', closer: 'client' }] }));
    const r = runCli(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('lab.pcap: MISMATCH');
    expect(r.stdout).toMatch(/connection 1 127\.0\.0\.1:\d+ → 127\.0\.0\.1:12000: class: expected "half-close", got "rst-after-close"/);
    expect(r.stdout).toContain('what we saw: The client called close()');
    expect(r.stdout).toMatch(/check: 1 capture, 1 connection, 1 mismatch$/m);
    // The same report in Chinese: the words, not the field names and values.
    const zh = runCli(['check', dir, '--lang', 'zh']);
    expect(zh.code).toBe(1);
    expect(zh.stdout).toContain('lab.pcap：不一致');
    expect(zh.stdout).toMatch(/连接 1 127\.0\.0\.1:\d+ → 127\.0\.0\.1:12000：class：期望 "half-close"，实际 "rst-after-close"/);
    expect(zh.stdout).toContain('实际所见：客户端调用了 close()');
    expect(zh.stdout).toMatch(/check：1 个抓包文件，1 个连接，1 处不一致$/m);
  });

  it('reports a capture without an expectation (exit 2), and --update writes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-check-'));
    copyFileSync(fixture('course-half-close.pcap'), join(dir, 'half.pcap'));
    const missing = runCli(['check', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('no expectation file');
    const up = runCli(['check', dir, '--update']);
    expect(up.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'half.expect.json'), 'utf8'))).toEqual({ flows: [{ class: 'half-close', closer: 'client', trailingBytes: 3 }] });
    expect(runCli(['check', dir]).code).toBe(0);
  });

  it('gives a machine report with --format json', () => {
    const r = runCli(['check', 'fixtures/refused.pcap', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { summary: Record<string, number>; captures: Array<{ status: string }> };
    expect(report.summary).toEqual({ captures: 1, connections: 1, mismatches: 0, errors: 0 });
    expect(report.captures[0]?.status).toBe('ok');
  });
});

/**
 * A directory that cannot be trusted (docs/testing.md, "Hostile input"): each of these used to hang
 * the run, write outside the directory or end it with `internal error` and the other captures
 * unreported. Spawned with a time limit: a FIFO read would block for ever.
 */
describe('teardown check in a hostile directory', () => {
  const check = (args: string[], shell = ''): CliRun => {
    const argv = [process.execPath, CLI, 'check', ...args];
    const r = shell
      ? spawnSync('sh', ['-c', `${shell} && exec "$@"`, 'sh', ...argv], { cwd: ROOT, env: { ...process.env, LANG: 'C.UTF-8' }, timeout: 60_000 })
      : spawnSync(argv[0] ?? '', argv.slice(1), { cwd: ROOT, env: { ...process.env, LANG: 'C.UTF-8' }, timeout: 60_000 });
    expect(r.signal).toBeNull();
    return { code: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  };
  /** A new directory holding `refused.pcap` under each name given, with its expectation when `expect`. */
  const dirWith = (names: string[], expect: string[] = []): string => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-hostile-check-'));
    for (const n of names) copyFileSync(fixture('refused.pcap'), join(dir, `${n}.pcap`));
    for (const n of expect) copyFileSync(fixture('refused.expect.json'), join(dir, `${n}.expect.json`));
    return dir;
  };
  const REFUSED = readFileSync(fixture('refused.expect.json'), 'utf8');

  it('--update does not write through a symbolic link; the other captures are updated', () => {
    const dir = dirWith(['a', 'b']);
    const outside = join(mkdtempSync(join(tmpdir(), 'teardown-outside-')), 'target');
    writeFileSync(outside, 'precious\n');
    symlinkSync(outside, join(dir, 'a.expect.json'));
    const r = check([dir, '--update']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`${dir}/a.pcap: ERROR: will not write ${dir}/a.expect.json: it is a symbolic link\n`
      + `${dir}/b.pcap: wrote ${dir}/b.expect.json (1 connection)\n`
      + 'check: 2 captures, 2 connections, 0 mismatches, 1 error\n');
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(JSON.parse(readFileSync(join(dir, 'b.expect.json'), 'utf8'))).toEqual({ flows: [{ class: 'refused', closer: 'server' }] });
  });

  it('a FIFO, a device or a socket, as expectation or capture, is refused with a message, not read', async () => {
    const dir = dirWith(['1-fifo', '3-zero', '4-ok', '5-socket'], ['4-ok']);
    mkfifoIn(dir, '1-fifo.expect.json');
    mkfifoIn(dir, '2-fifo.pcap');
    symlinkSync('/dev/zero', join(dir, '3-zero.expect.json'));
    const socket = createServer();
    await new Promise<void>((done) => socket.listen(join(dir, '5-socket.expect.json'), done));
    try {
      const r = check([dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe(`${dir}/1-fifo.pcap: ERROR: ${dir}/1-fifo.expect.json is a FIFO, not a regular file\n`
        + `${dir}/2-fifo.pcap: ERROR: ${dir}/2-fifo.pcap is a FIFO, not a regular file\n`
        + `${dir}/3-zero.pcap: ERROR: ${dir}/3-zero.expect.json is a character device, not a regular file\n`
        + `${dir}/4-ok.pcap: ok (1 connection)\n`
        + `${dir}/5-socket.pcap: ERROR: ${dir}/5-socket.expect.json is a socket, not a regular file\n`
        + 'check: 5 captures, 1 connection, 0 mismatches, 4 errors\n');
      // --update writes over none of them either.
      const up = check([dir, '--update']);
      expect(up.stdout).toMatch(/1-fifo\.pcap: ERROR: .* is a FIFO, not a regular file\n/);
      expect(up.stdout).toMatch(/5-socket\.pcap: ERROR: .* is a socket, not a regular file\n/);
    } finally {
      socket.close();
    }
  });

  it('an expectation file over 16 MiB is refused unread', () => {
    const dir = dirWith(['big']);
    writeFileSync(join(dir, 'big.expect.json'), '');
    truncateSync(join(dir, 'big.expect.json'), 16 * 1024 * 1024 + 1);
    expect(check([dir]).stdout).toContain(`${dir}/big.pcap: ERROR: ${dir}/big.expect.json is larger than 16 MiB\n`);
  });

  it('a dangling link, a link loop, 200,000 nested brackets, a read-only expectation, a name not UTF-8: one line each, the rest checked', () => {
    const dir = dirWith(['1-deep', '2-ok', '3-ro'], ['2-ok', '3-ro']);
    writeFileSync(join(dir, '1-deep.expect.json'), `{"flows": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    symlinkSync('nowhere.pcap', join(dir, '4-dangling.pcap'));
    symlinkSync('5-loop.pcap', join(dir, '5-loop.pcap'));
    writeFileSync(Buffer.from(`${dir}/6-\xff.pcap`, 'latin1'), fixture('refused.pcap'));
    chmodSync(join(dir, '3-ro.expect.json'), 0o444);
    const r = check([dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${dir}/1-deep.pcap: ERROR: ${dir}/1-deep.expect.json: nested deeper than 64 levels\n`
      + `${dir}/2-ok.pcap: ok (1 connection)\n`
      + `${dir}/3-ro.pcap: ok (1 connection)\n`
      + `${dir}/4-dangling.pcap: ERROR: ${dir}/4-dangling.pcap is a dangling symbolic link\n`
      + `${dir}/5-loop.pcap: ERROR: cannot read ${dir}/5-loop.pcap: too many symbolic links encountered\n`
      + `${dir}/6-\\xff.pcap: ERROR: the name is not UTF-8: rename it to have it checked\n`
      + 'check: 6 captures, 2 connections, 0 mismatches, 4 errors\n');
    const up = check([dir, '--update']);
    expect(up.code).toBe(2);
    expect(up.stdout).toContain(`${dir}/3-ro.pcap: ERROR: will not write ${dir}/3-ro.expect.json: it is read-only\n`);
    expect(up.stdout).toContain(`${dir}/2-ok.pcap: wrote ${dir}/2-ok.expect.json (1 connection)\n`);
    expect(readFileSync(join(dir, '3-ro.expect.json'), 'utf8')).toBe(REFUSED);
  });

  it('a symbolic link to a directory is not followed (a link to .. never ends)', () => {
    const dir = dirWith(['a'], ['a']);
    mkdirSync(join(dir, 'sub'));
    copyFileSync(fixture('refused.pcap'), join(dir, 'sub', 'b.pcap'));
    copyFileSync(fixture('refused.expect.json'), join(dir, 'sub', 'b.expect.json'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    symlinkSync(dir, join(dir, 'self'));
    const r = check([dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${dir}/a.pcap: ok (1 connection)\n${dir}/sub/b.pcap: ok (1 connection)\ncheck: 2 captures, 2 connections, 0 mismatches\n`);
  });

  it('--update replaces the file whole or not at all: a write that fails part-way leaves the old file', () => {
    const dir = dirWith(['a']);
    const old = JSON.stringify({ flows: [{ class: 'open', note: 'x'.repeat(4000) }] });
    writeFileSync(join(dir, 'a.expect.json'), old, { mode: 0o640 });
    chmodSync(join(dir, 'a.expect.json'), 0o640);
    // A file size limit of 1 KiB: the new file (it keeps the 4,000-byte note) cannot be written whole.
    const r = check([dir, '--update'], 'ulimit -f 1');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${dir}/a.pcap: ERROR: cannot write ${dir}/a.expect.json: file too large; the old file is unchanged\n`);
    expect(readFileSync(join(dir, 'a.expect.json'), 'utf8')).toBe(old);
    expect(readdirSync(dir).sort()).toEqual(['a.expect.json', 'a.pcap']); // no temporary file left
    // Without the limit it is replaced, keeping the note and the file's mode.
    expect(check([dir, '--update']).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'a.expect.json'), 'utf8'))).toEqual({ flows: [{ class: 'refused', closer: 'server', note: 'x'.repeat(4000) }] });
    expect(statSync(join(dir, 'a.expect.json')).mode & 0o777).toBe(0o640);
  });

  it('field names and values with terminal escapes are printed escaped; --format json keeps them', () => {
    const dir = dirWith(['a']);
    writeFileSync(join(dir, 'a.expect.json'), JSON.stringify({ flows: [{ 'cl\x1b[2Jass': '\u009b31m', class: 'refused' }] }));
    const r = check([dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\x1b\x9b]/);
    expect(r.stdout).toMatch(/connection 1 \S+ → \S+: cl\\x1b\[2Jass: expected "\\x9b31m", got null\n/);
    const json = JSON.parse(check([dir, '--format', 'json']).stdout) as { captures: Array<{ mismatches: Array<{ field: string; expected: string }> }> };
    expect(json.captures[0]?.mismatches[0]).toMatchObject({ field: 'cl\x1b[2Jass', expected: '\u009b31m' });
  });

  it('a mismatch and an unreadable capture: both reported, exit 2 (the check is incomplete)', () => {
    const dir = dirWith(['a', 'b']);
    writeFileSync(join(dir, 'a.expect.json'), JSON.stringify({ flows: [{ class: 'open' }] }));
    writeFileSync(join(dir, 'b.expect.json'), 'not json');
    const r = check([dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${dir}/a.pcap: MISMATCH\n`);
    expect(r.stdout).toMatch(new RegExp(`${dir}/b.pcap: ERROR: ${dir}/b.expect.json: not JSON: `));
    expect(r.stdout).toMatch(/check: 2 captures, 1 connection, 1 mismatch, 1 error\n$/);
  });
});

function mkfifoIn(dir: string, name: string): void {
  const r = spawnSync('mkfifo', [join(dir, name)]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr.toString()}`);
}
