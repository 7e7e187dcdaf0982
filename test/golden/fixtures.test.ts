import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

/**
 * Every fixture end to end through the built CLI: the full text table and the full JSON against
 * checked-in golden files, and the verdicts against the fixture's expectation file.
 * A missing golden file fails under CI; elsewhere it is written (review it, then commit it).
 */
const FIXTURES = join(ROOT, 'fixtures');
const captures = readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
const stem = (f: string): string => f.replace(/\.pcap(ng)?$/, '');

function golden(path: string, actual: string): void {
  if (!existsSync(path)) {
    if (process.env['CI']) throw new Error(`missing golden file ${path}: run npm run golden:update and commit it`);
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('fixtures', () => {
  it('has captures', () => {
    expect(captures.length).toBeGreaterThan(15);
  });

  for (const file of captures) {
    describe(file, () => {
      const rel = `fixtures/${file}`;
      it('text table matches the golden file', () => {
        const r = runCli(['analyze', rel, '--color', 'never']);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        golden(join(FIXTURES, `${stem(file)}.txt`), r.stdout);
      });

      it('JSON matches the golden file and the expectation', () => {
        const r = runCli(['analyze', rel, '--format', 'json']);
        expect(r.code).toBe(0);
        golden(join(FIXTURES, `${stem(file)}.json`), r.stdout);
        const expectPath = join(FIXTURES, `${stem(file)}.expect.json`);
        expect(existsSync(expectPath), `${expectPath} exists`).toBe(true);
        const expected = JSON.parse(readFileSync(expectPath, 'utf8')) as { flows: Array<Record<string, unknown>> };
        const got = JSON.parse(r.stdout) as { flows: Array<{ teardown: Record<string, unknown> }> };
        expect(got.flows.length).toBe(expected.flows.length);
        expected.flows.forEach((want, i) => {
          const t = got.flows[i]?.teardown ?? {};
          for (const [field, value] of Object.entries(want)) expect({ flow: i + 1, [field]: t[field] }).toEqual({ flow: i + 1, [field]: value });
        });
      });
    });
  }
});
