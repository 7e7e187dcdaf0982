import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from './run-cli.js';

/**
 * The manual page the build writes from the help (scripts/man.mjs, dist/teardown.1), rendered by
 * groff and man where they are installed (.ci/run installs groff-base), and yargs' completion
 * script run by a real bash.
 */
const PAGE = join(ROOT, 'dist', 'teardown.1');
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('manual page', () => {
  const page = readFileSync(PAGE, 'utf8');

  it('has a manual page\'s sections, and every option the help names', () => {
    expect(page.startsWith('.TH TEARDOWN 1 ')).toBe(true);
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'EXAMPLES', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'SEE ALSO']) {
      expect(page).toContain(`\n.SH ${section}\n`);
    }
    for (const command of ['analyze', 'annotate', 'live', 'lab', 'report', 'check', 'merge']) {
      const help = runCli([command, '--help']).stdout;
      for (const [, option = ''] of help.matchAll(/^ {2}--([a-z-]+)/gm)) expect(page, `${command} --${option}`).toContain(`\\-\\-${option.replaceAll('-', '\\-')}`);
    }
    expect(page).not.toContain(join(ROOT, 'dist'));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man: string };
    expect(pkg.man).toBe('dist/teardown.1');
  });

  it.skipIf(!has('groff'))('groff renders it without a warning', () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', PAGE], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  it.skipIf(!has('man'))('man -l shows it, no line wider than an 80-column terminal', () => {
    const r = spawnSync('man', ['-l', PAGE], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^TEARDOWN\(1\) +User Commands +TEARDOWN\(1\)/);
    expect(r.stdout).toContain('--format');
    for (const line of r.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
  });
});

describe('completion', () => {
  const bin = mkdtempSync(join(tmpdir(), 'teardown-completion-'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it.skipIf(!has('bash'))('bash completes commands, options and choices through the installed script', () => {
    const script = runCli(['completion']).stdout;
    expect(script).toContain('complete -o bashdefault -o default -F _teardown_yargs_completions teardown');
    // The script asks `teardown` on the PATH.
    writeFileSync(join(bin, 'teardown'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'teardown'), 0o755);
    writeFileSync(join(bin, 'completion.bash'), script);
    const complete = (words: string[]): string => {
      const shell = `source "${join(bin, 'completion.bash')}"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _teardown_yargs_completions; echo "\${COMPREPLY[*]}"`;
      const r = spawnSync('bash', ['-c', shell], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    expect(complete(['teardown', 'an'])).toBe('analyze annotate');
    expect(complete(['teardown', 'anal'])).toBe('analyze');
    expect(complete(['teardown', 'analyze', '--format', 'z'])).toBe('zeek zeek-json');
    expect(complete(['teardown', 'analyze', '--wi'])).toBe('--wide');
  });

  it('the man page names the completion command', () => {
    expect(existsSync(PAGE)).toBe(true);
    expect(readFileSync(PAGE, 'utf8')).toContain('.SS completion');
  });
});
