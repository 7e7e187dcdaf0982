import { describe, expect, it } from 'vitest';
import { runCli } from '../golden/run-cli.js';
import { picked, selected, selectionProblems } from '../../src/cli/view.js';
import { classNames, hostValues } from '../../src/cli/options.js';

/** Selection (docs/contract.md, "Selection"): --flow, --port, --host, --class; what an empty or wrong one says. */

const conn = (id: number, a: string, b: string) => ({ id, client: { ip: a, port: 40000 + id }, server: { ip: b, port: 80 } });

describe('picking connections (in process)', () => {
  it('--host matches either endpoint, by value (IPv6 written any way) or within a prefix', () => {
    expect(picked(conn(1, '10.0.0.1', '10.0.0.2'), { flow: undefined, port: undefined, host: ['10.0.0.2'], class: undefined })).toBe(true);
    expect(picked(conn(1, '10.0.0.1', '10.0.0.2'), { flow: undefined, port: undefined, host: ['10.0.0.3'], class: undefined })).toBe(false);
    expect(picked(conn(1, 'fd00:200:1::2', '::1'), { flow: undefined, port: undefined, host: ['FD00:0200:0001:0:0:0:0:0002'], class: undefined })).toBe(true);
    expect(picked(conn(1, '10.1.2.3', '192.0.2.1'), { flow: undefined, port: undefined, host: ['10.0.0.0/8'], class: undefined })).toBe(true);
    expect(picked(conn(1, '10.1.2.3', '::1'), { flow: undefined, port: undefined, host: ['::1/128'], class: undefined })).toBe(true);
  });

  it('--class is known with the verdict; the options are checked', () => {
    const o = { flow: undefined, port: undefined, host: undefined, class: classNames(['refused,abort', 'stuck']) };
    expect(o.class).toEqual(['refused', 'abort', 'stuck']);
    expect(selected(conn(1, '10.0.0.1', '10.0.0.2'), 'abort', o)).toBe(true);
    expect(selected(conn(1, '10.0.0.1', '10.0.0.2'), 'graceful', o)).toBe(false);
    expect(() => classNames(['closed'])).toThrow(/--class takes a class \(refused, .*\), not closed/);
    expect(() => hostValues(['10.0.0.1/33'])).toThrow(/prefix length must be a whole number from 0 to 32/);
    expect(() => hostValues(['example.com'])).toThrow(/--host takes an IPv4 or IPv6 address/);
  });

  it('a --flow number past the last connection, or nothing matched, is a problem', () => {
    const none = { flow: undefined, port: [443], host: undefined, class: undefined };
    expect(selectionProblems(none, 6, 0)).toEqual(['no connection matches --port 443 (the capture has 6 connections)']);
    expect(selectionProblems({ ...none, port: undefined, flow: [2, 99] }, 6, 1)).toEqual(['no connection 99: the capture has 6 connections, numbered 1 to 6']);
    expect(selectionProblems({ ...none, port: undefined }, 6, 6)).toEqual([]);
  });
});

describe('selection through the CLI', () => {
  const lab = 'fixtures/lab-mixed.pcap';

  it('the heading counts what is shown, and of how many', () => {
    const r = runCli(['analyze', lab, '--no-packets', '--class', 'graceful', '--class', 'refused']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Connection \d+/gm)).toEqual(['Connection 3', 'Connection 4', 'Connection 6']);
    expect(r.stdout).toContain('Summary: 3 of 6 connections (refused 1, graceful 2)\n');
    const port = runCli(['analyze', lab, '--no-packets', '--port', '12102']);
    expect(port.stdout).toContain('Summary: 1 of 6 connections (graceful 1)\n');
  });

  it('an empty selection prints nothing but why, exit 2; so does report', () => {
    expect(runCli(['analyze', lab, '--class', 'stuck'])).toEqual({ code: 2, stdout: '', stderr: 'teardown: no connection matches --class stuck (the capture has 6 connections)\n' });
    expect(runCli(['analyze', lab, '--format', 'json', '--host', '192.0.2.1'])).toEqual({ code: 2, stdout: '', stderr: 'teardown: no connection matches --host 192.0.2.1 (the capture has 6 connections)\n' });
    expect(runCli(['report', lab, '-o', '-', '--flow', '99'])).toEqual({ code: 2, stdout: '', stderr: 'teardown: no connection 99: the capture has 6 connections, numbered 1 to 6\n' });
  });

  it('--flow 99 beside one that exists: that one is shown, 99 is an error', () => {
    const r = runCli(['analyze', lab, '--format', 'ndjson', '--flow', '2', '--flow', '99']);
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id?: number }).id)).toEqual([2, undefined]);
    expect(r.stderr).toBe('teardown: no connection 99: the capture has 6 connections, numbered 1 to 6\n');
  });

  it('--flow abc and --class nonsense are usage errors', () => {
    expect(runCli(['analyze', lab, '--flow', 'abc']).code).toBe(2);
    expect(runCli(['analyze', lab, '--class', 'nonsense']).code).toBe(2);
  });
});
