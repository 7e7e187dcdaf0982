import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../golden/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'teardown-report-cli-'));

describe('teardown report: exit statuses as analyze', () => {
  it('writes the page, silently, exit 0', () => {
    const out = join(tmp, 'ok.html');
    expect(runCli(['report', 'fixtures/course-half-close.pcap', '-o', out])).toEqual({ code: 0, stdout: '', stderr: '' });
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('data-class="half-close"');
  });

  it('-o - writes to standard output; --flow picks connections', () => {
    const r = runCli(['report', 'fixtures/lab-mixed.pcap', '-o', '-', '--flow', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/<article class="card"/g)).toHaveLength(1);
    expect(r.stdout).toContain('id="flow-2"');
  });

  it('unreadable input: exit 2, no page', () => {
    const r = runCli(['report', 'no-such.pcap', '-o', join(tmp, 'none.html')]);
    expect([r.code, r.stderr]).toEqual([2, 'teardown: cannot read no-such.pcap: no such file\n']);
  });

  it('an output that cannot be written: exit 2', () => {
    const r = runCli(['report', 'fixtures/refused.pcap', '-o', join(tmp, 'no-dir', 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^teardown: cannot write .*x\.html/);
  });

  it('damaged input: the partial page says where, exit 3', () => {
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, readFileSync(join(ROOT, 'fixtures', 'course-half-close.pcap')).subarray(0, 1000));
    const out = join(tmp, 'cut.html');
    const r = runCli(['report', cut, '-o', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('damaged at byte offset 981 (packet 12)');
    expect(readFileSync(out, 'utf8')).toContain('Damaged input at byte offset 981 (packet 12)');
  });
});
