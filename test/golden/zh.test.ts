import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { golden } from './golden.js';
import { CLI, ROOT } from './run-cli.js';

/**
 * Every word the tool prints in Chinese under `--lang zh` or a zh locale (docs/contract.md,
 * "Explanations"): each command's `--help` (ours from cli/help-words.ts, yargs' from its zh_CN
 * locale) and the one-line errors (cli/messages.ts), found before the options are read, while
 * they are, and after. The processes run side by side: a few, once each.
 */
interface Run { code: number; stdout: string; stderr: string }

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1', ...env }, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

/** The examples' directory is where the package is built: not part of the golden. */
const placeless = (text: string): string => text.replaceAll(join(ROOT, 'dist', 'examples'), '<package>/dist/examples');

const tmp = mkdtempSync(join(tmpdir(), 'teardown-zh-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const COMMANDS = ['', 'analyze', 'live', 'lab', 'report', 'annotate', 'check'];

describe('--lang zh: the help and the errors in Chinese', () => {
  it('each command\'s --help; LANG=zh_CN.UTF-8 gives the same, --lang en under it the English', async () => {
    const helps = await Promise.all(COMMANDS.map((c) => run(['--lang', 'zh', ...(c ? [c] : []), '--help'])));
    const [byLocale, enUnderZh, en] = await Promise.all([
      run(['analyze', '--help'], { LANG: 'zh_CN.UTF-8' }),
      run(['check', '--help', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' }),
      run(['check', '--help']),
    ]);
    const text = COMMANDS.map((c, i) => `$ teardown --lang zh ${c ? `${c} ` : ''}--help\n${placeless(helps[i]?.stdout ?? '')}`).join('\n');
    golden(join(ROOT, 'test', 'golden', 'zh', 'help.txt'), text);
    for (const h of helps) expect([h.code, h.stderr]).toEqual([0, '']);
    // The same but for --lang's default, the environment's.
    expect(byLocale.stdout).toBe(helps[1]?.stdout.replace('[可选值: "en", "zh"] [默认值: "en"]', '[可选值: "en", "zh"] [默认值: "zh"]'));
    expect(enUnderZh.stdout).toBe(en.stdout.replace('[choices: "en", "zh"] [default: "en"]', '[choices: "en", "zh"] [default: "zh"]'));
    expect(en.stdout).toContain('Options:');
  });

  it('errors before, while and after the options are read; check\'s in Chinese as text, in English as JSON', async () => {
    // A capture with no expectation file, an empty one, a FIFO.
    copyFileSync(join(ROOT, 'fixtures', 'refused.pcap'), join(tmp, 'a.pcap'));
    writeFileSync(join(tmp, 'b.pcap'), '');
    writeFileSync(join(tmp, 'b.expect.json'), '{ "flows": [] }\n');
    execFileSync('mkfifo', [join(tmp, 'c.pcap')]);
    const cases: Array<[string[], Record<string, string>?]> = [
      [['--lang', 'zh']],
      [['--lang', 'zh', 'analyze', '--bogus', 'x.pcap']],
      [['analyze', 'x.pcap', '--format', 'xml'], { LC_ALL: 'zh_CN.UTF-8' }],
      [['analyze', 'x.pcap', '--flow', 'abc', '--lang=zh']],
      [['--lang', 'zh', 'analyze', 'no-such.pcap']],
      [['check', tmp, '--lang', 'zh']],
      [['check', tmp, '--lang', 'zh', '--format', 'json']],
    ];
    const runs = await Promise.all(cases.map(([args, env]) => run(args, env)));
    const text = cases.map(([args, env], i) => {
      const r = runs[i] as Run;
      const vars = Object.entries(env ?? {}).map(([k, v]) => `${k}=${v} `).join('');
      return `$ ${vars}teardown ${args.join(' ')}\n${r.stdout}${r.stderr}exit ${r.code}\n`;
    }).join('\n').replaceAll(tmp, '<dir>');
    golden(join(ROOT, 'test', 'golden', 'zh', 'errors.txt'), text);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2]);
  });
});
