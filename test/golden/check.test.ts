import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

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
