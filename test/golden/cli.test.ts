import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'teardown-cli-'));
const fixture = (name: string): Buffer => readFileSync(join(ROOT, 'fixtures', name));

describe('bad input: one clear line, partial results kept (docs/contract.md, "Damaged input", "Exit codes")', () => {
  it('a missing file: exit 2', () => {
    const r = runCli(['analyze', 'no-such.pcap']);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, 'teardown: cannot read no-such.pcap: no such file\n', '']);
  });

  it('a directory: exit 2', () => {
    expect(runCli(['analyze', 'fixtures']).stderr).toBe('teardown: fixtures is a directory\n');
  });

  it('not a capture: shows the first bytes and what was expected', () => {
    const r = runCli(['analyze', 'README.md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('teardown: README.md: not a capture file: starts with 23 20 74 65, expected a pcap (a1b2c3d4/a1b23c4d either byte order) or pcapng (0a0d0d0a) header\n');
  });

  it('an empty file: exit 2', () => {
    const empty = join(tmp, 'empty.pcap');
    writeFileSync(empty, '');
    const r = runCli(['analyze', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`teardown: ${empty} is empty: not a capture file\n`);
  });

  it('a record cut short: what came before is analysed and printed, exit 3', () => {
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, fixture('course-half-close.pcap').subarray(0, 1000));
    const r = runCli(['analyze', cut, '--format', 'json', '--no-packets']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`teardown: ${cut}: damaged at byte offset 981 (packet 12): record cut short: header says 69 bytes, 3 left; the packets before it were analysed\n`);
    const report = JSON.parse(r.stdout) as { capture: { packets: number }; flows: unknown[]; errors: unknown[] };
    expect(report.capture.packets).toBe(11);
    expect(report.flows).toHaveLength(1);
    expect(report.errors).toEqual([{ file: cut, offset: 981, packet: 12, message: 'record cut short: header says 69 bytes, 3 left' }]);
  });

  it('a usage mistake points at --help, exit 2', () => {
    const r = runCli(['analyze', 'x.pcap', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Run 'teardown --help' for usage.");
  });

  it('--example: a capture path too, none at all, or an unknown name is a usage error, exit 2', () => {
    const hint = "Run 'teardown --help' for usage.\n";
    expect(runCli(['analyze', 'x.pcap', '--example', 'refused'])).toEqual({ code: 2, stdout: '', stderr: `teardown: give a capture file or --example NAME, not both\n${hint}` });
    expect(runCli(['analyze'])).toEqual({ code: 2, stdout: '', stderr: `teardown: Not enough non-option arguments: got 0, need at least 1\n${hint}` });
    const unknown = runCli(['report', '--example', 'nope', '-o', '-']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Given: "nope", Choices: "course-close-then-data"');
  });
});

describe('sources and views (docs/contract.md, "The command line")', () => {
  it('reads standard input with -', () => {
    const r = runCli(['analyze', '-', '--format', 'json', '--no-packets'], fixture('refused.pcap'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { capture: { file: string }; flows: Array<{ teardown: { class: string } }> };
    expect(report.capture.file).toBe('stdin');
    expect(report.flows[0]?.teardown.class).toBe('refused');
  });

  it('ndjson: one flow a line, then the summary line', () => {
    const lines = runCli(['analyze', 'fixtures/lab-mixed.pcap', '--format', 'ndjson', '--no-packets']).stdout.trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines.slice(0, 6).map((l) => (JSON.parse(l) as { teardown: { class: string } }).teardown.class)).toEqual([
      'rst-after-close', 'half-close', 'graceful', 'refused', 'abort', 'graceful',
    ]);
    expect(JSON.parse(lines[6] ?? '{}')).toMatchObject({ summary: { flows: 6, byClass: { 'rst-after-close': 1, abort: 1, 'half-close': 1, graceful: 2, refused: 1 } } });
  });

  it('--flow and --port pick connections', () => {
    const ids = (args: string[]): number[] => (JSON.parse(runCli(['analyze', 'fixtures/lab-mixed.pcap', '--format', 'json', '--no-packets', ...args]).stdout) as { flows: Array<{ id: number }> }).flows.map((f) => f.id);
    expect(ids(['--flow', '2', '--flow', '4'])).toEqual([2, 4]);
    expect(ids(['--port', '12103'])).toEqual([4]);
  });

  it('--no-tunnels leaves a VXLAN capture closed; --vxlan-port takes a UDP port', () => {
    const r = runCli(['analyze', 'fixtures/tunnel-vxlan.pcap', '--format', 'ndjson', '--no-packets', '--no-tunnels']);
    expect(JSON.parse(r.stdout)).toMatchObject({ capture: { tcpPackets: 0, skipped: { 'not-tcp': 12 } }, summary: { flows: 0 } });
    expect(runCli(['analyze', 'fixtures/tunnel-vxlan.pcap', '--vxlan-port', '70000'])).toMatchObject({
      code: 2, stderr: expect.stringContaining('--vxlan-port takes a UDP port number, a whole number from 0 to 65535 (got 70000)') as unknown,
    });
  });

  it('--lang zh explains in Chinese, and so does LANG=zh_CN.UTF-8', () => {
    const r = runCli(['analyze', 'fixtures/course-half-close.pcap', '--lang', 'zh', '--no-packets']);
    expect(r.stdout).toContain('客户端调用 shutdown(SHUT_WR)');
  });

  it('--color always paints FINs red and RSTs inverse red; never leaves no escape codes', () => {
    const on = runCli(['analyze', 'fixtures/course-close-then-data.pcap', '--color', 'always']).stdout;
    expect(on).toMatch(/\x1b\[31m9 +0\.000348/);
    expect(on).toMatch(/\x1b\[7;31m13 /);
    expect(on).toMatch(/\x1b\[33m12 /);
    expect(runCli(['analyze', 'fixtures/course-close-then-data.pcap', '--color', 'never']).stdout).not.toContain('\x1b[');
  });

  it('--time delta and absolute', () => {
    const delta = runCli(['analyze', 'fixtures/graceful-four-way.pcap', '--time', 'delta']).stdout;
    expect(delta).toMatch(/^10 +0\.156497 /m);
    const abs = runCli(['analyze', 'fixtures/nanosecond-graceful.pcap', '--time', 'absolute']).stdout;
    expect(abs).toMatch(/^1 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} /m);
  });
});

describe('the command line itself', () => {
  it('--version prints package.json\'s version, whatever the working directory', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(process.execPath, [CLI, '--version'], { cwd: tmp, encoding: 'utf8' });
    expect([r.status, r.stdout]).toEqual([0, `${version}\n`]);
  });

  it('--help wraps descriptions between words, never inside one', () => {
    const help = runCli(['analyze', '--help']).stdout.replace(/\s*\n\s*/g, ' ');
    expect(help).toContain('draw each connection as a ladder diagram (client and server lifelines, states beside them) in place of its packet table');
    expect(help).toContain('print packet rows (default: for a capture under 10 MB, or the connections --flow picks; --no-packets: verdicts only)');
  });
});

describe('start-up: a command loads only what it uses (docs/performance.md, "Start-up")', () => {
  /** The files the built CLI loads as modules for `args`, relative to the repository, as a module hook sees them. */
  const modulesLoaded = (args: string[]): string[] => {
    const list = join(tmp, 'modules.txt');
    const hooks = join(tmp, 'list-hooks.mjs');
    const register = join(tmp, 'list-register.mjs');
    writeFileSync(list, '');
    writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(list)}, url + '\\n');
  return next(url, context);
}
`);
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, CLI, ...args], { cwd: ROOT });
    expect(r.status).toBe(0);
    return readFileSync(list, 'utf8').split('\n').filter(Boolean).map((u) => relative(ROOT, fileURLToPath(u)));
  };
  const unused = /string-width|render\/(text|summary-table|ladder|html)\.js|commands\/(check|live|lab|report)\.js|cli\/analyze-text\.js|lab\/scenarios/;

  it('analyze --format ndjson --no-packets: no text tables, no other command', () => {
    const loaded = modulesLoaded(['analyze', 'fixtures/refused.pcap', '--format', 'ndjson', '--no-packets']);
    expect(loaded).toContain('dist/cli/commands/analyze.js');
    expect(loaded.filter((m) => unused.test(m))).toEqual([]);
  });

  it('--version: no command at all', () => {
    expect(modulesLoaded(['--version']).filter((m) => m.includes('commands/') || unused.test(m))).toEqual([]);
  });
});
