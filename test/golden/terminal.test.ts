import { spawnSync } from 'node:child_process';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { ColumnTable, truncateCell } from '../../src/render/table.js';
import { useColor } from '../../src/render/color.js';
import { CLI, ROOT, runCli } from './run-cli.js';

/**
 * Text on a terminal (docs/contract.md, "Terminal width"): the built CLI run in a real
 * pseudo-terminal (Python's pty module) of 80 and 120 columns. Packet rows and the summary box fit
 * it; --wide, a file and a pipe get every column.
 */
const PTY = `
import os, pty, sys, struct, fcntl, termios, select
cols = int(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, cols, 0, 0))
out = b''
while True:
    r, _, _ = select.select([fd], [], [], 20)
    if not r:
        break
    try:
        d = os.read(fd, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
`;

function onTerminal(columns: number, args: string[], vars: Record<string, string | undefined> = { NO_COLOR: '1' }): string {
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', TERM: 'xterm-256color', ...vars };
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete env[k];
  const r = spawnSync('python3', ['-c', PTY, String(columns), process.execPath, CLI, ...args], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  expect(r.status, r.stderr.toString()).toBe(0);
  // The terminal's line discipline writes CR LF.
  return r.stdout.toString('utf8').replaceAll('\r\n', '\n');
}

/** The lines of the packet tables (header and rows) and of the summary box: not the prose. */
const tableLines = (text: string): string[] => text.split('\n').filter((l) => /^(No\.|\d+ |[┌│├└])/.test(l));

describe('text fitted to the terminal', () => {
  for (const columns of [80, 120]) {
    it(`${columns} columns: packet rows and the summary box fit; Info is cut with an ellipsis${columns === 80 ? ' (en, zh)' : ''}`, () => {
      for (const lang of columns === 80 ? ['en', 'zh'] : ['en']) {
        const text = onTerminal(columns, ['analyze', 'fixtures/lab-mixed.pcap', '--lang', lang]);
        const lines = tableLines(text);
        expect(lines.length).toBeGreaterThan(60);
        for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(columns);
        expect(text).toContain('…');
        expect(text).toContain('└');
      }
    });
  }

  it('--wide on a terminal, a pipe and a file: every column, the same bytes', () => {
    const piped = runCli(['analyze', 'fixtures/lab-mixed.pcap']).stdout;
    expect(onTerminal(80, ['analyze', 'fixtures/lab-mixed.pcap', '--wide'])).toBe(piped);
    expect(Math.max(...tableLines(piped).map((l) => stringWidth(l)))).toBeGreaterThan(200);
  });
});

describe('colour: --color, FORCE_COLOR, NO_COLOR, TERM=dumb', () => {
  const RED = '\x1b[31m';
  const base = { NO_COLOR: undefined, FORCE_COLOR: undefined };
  it('auto on a real terminal: colour, none with TERM=dumb', () => {
    const args = ['analyze', 'fixtures/graceful-four-way.pcap', '--no-packets', '--ladder'];
    expect(onTerminal(100, args, base)).toContain(RED);
    expect(onTerminal(100, args, { ...base, TERM: 'dumb' })).not.toContain('\x1b[');
  });

  it.each([
    ['auto', true, {}, true], ['auto', false, {}, false],
    ['auto', true, { NO_COLOR: '1' }, false], ['auto', true, { NO_COLOR: '' }, true],
    ['auto', true, { TERM: 'dumb' }, false], ['auto', false, { FORCE_COLOR: '1' }, true], ['auto', false, { FORCE_COLOR: '' }, true],
    ['auto', true, { TERM: 'dumb', NO_COLOR: '1', FORCE_COLOR: '3' }, true],
    ['auto', true, { FORCE_COLOR: '0' }, false], ['auto', true, { FORCE_COLOR: 'false' }, false],
    ['never', true, { FORCE_COLOR: '1' }, false], ['always', false, { NO_COLOR: '1', TERM: 'dumb' }, true],
  ] as const)('useColor(%s, tty %s, %o) is %s', (mode, tty, env, on) => {
    expect(useColor(mode, tty, env)).toBe(on);
  });

  it('FORCE_COLOR colours a pipe, with the bytes --color always gives', () => {
    const env = { ...process.env, LANG: 'C.UTF-8', NO_COLOR: undefined, FORCE_COLOR: '1' };
    const forced = spawnSync(process.execPath, [CLI, 'analyze', 'fixtures/graceful-four-way.pcap'], { cwd: ROOT, env }).stdout.toString();
    expect(forced).toContain(RED);
    expect(forced).toBe(runCli(['analyze', 'fixtures/graceful-four-way.pcap', '--color', 'always']).stdout);
  });
});

describe('ColumnTable.fit', () => {
  it('drops the columns named first, then cuts, never below the least width', () => {
    const t = new ColumnTable(['A', 'B', 'Info', 'Note']);
    t.measure(['aaaa', 'bbbb', 'i'.repeat(50), 'n'.repeat(20)]);
    t.fit(40, { drop: ['B'], cut: [['Info', 10], ['Note', 5]] });
    const line = t.line(['aaaa', 'bbbb', 'i'.repeat(50), 'n'.repeat(20)]);
    expect(line).toBe(`aaaa  ${'i'.repeat(11)}…  ${'n'.repeat(20)}`);
    expect(line.length).toBe(40);
  });

  it('truncateCell counts wide characters as two columns', () => {
    expect(truncateCell('客户端调用 shutdown', 7)).toBe('客户端…');
    expect(stringWidth(truncateCell('客户端调用 shutdown', 8))).toBeLessThanOrEqual(8);
    expect(truncateCell('short', 8)).toBe('short');
  });
});
