import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden } from './golden.js';
import { analyzeInProcess } from './run-analyze.js';
import { ROOT, runCli } from './run-cli.js';

/**
 * Every fixture end to end: the full text table and the full JSON against checked-in golden files
 * (golden.ts: a missing one fails; `npm run golden:update` writes them), and the verdicts against
 * the fixture's expectation file. Run in this process (run-analyze.ts); one case checks that the
 * built CLI prints the same bytes.
 */
const FIXTURES = join(ROOT, 'fixtures');
const captures = readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
const stem = (f: string): string => f.replace(/\.pcap(ng)?$/, '');

describe('fixtures', () => {
  it('has captures', () => {
    expect(captures.length).toBeGreaterThan(15);
  });

  for (const file of captures) {
    describe(file, () => {
      const rel = `fixtures/${file}`;
      it('text table matches the golden file', async () => {
        const r = await analyzeInProcess(rel);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        golden(join(FIXTURES, `${stem(file)}.txt`), r.stdout);
      });

      it('JSON matches the golden file and the expectation', async () => {
        const r = await analyzeInProcess(rel, { format: 'json' });
        expect(r.code).toBe(0);
        golden(join(FIXTURES, `${stem(file)}.json`), r.stdout);
        const expectPath = join(FIXTURES, `${stem(file)}.expect.json`);
        expect(existsSync(expectPath), `${expectPath} exists`).toBe(true);
        const expected = JSON.parse(readFileSync(expectPath, 'utf8')) as { flows: Array<Record<string, unknown>> };
        const got = JSON.parse(r.stdout) as { flows: Array<{ teardown: Record<string, unknown> }> };
        expect(got.flows.length).toBe(expected.flows.length);
        expected.flows.forEach((want, i) => {
          const t = got.flows[i]?.teardown ?? {};
          // An expectation lists causes by id (docs/contract.md, "Expectation files").
          const valueOf = (field: string): unknown => (field === 'causes' ? (t['causes'] as Array<{ id: string }>).map((c) => c.id) : t[field]);
          for (const [field, value] of Object.entries(want)) expect({ flow: i + 1, [field]: valueOf(field) }).toEqual({ flow: i + 1, [field]: value });
        });
      });
    });
  }

  // The course's captures in Chinese (--lang zh): every word of the report, NAME.zh.txt; a tunnel's with IP fragments; TCP packets in no connection.
  for (const name of ['course-close-then-data', 'course-half-close', 'cause-idle-timeout', 'fragments-vxlan', 'snap40-graceful']) {
    it(`${name}: the Chinese text report matches the golden file`, async () => {
      const r = await analyzeInProcess(`fixtures/${name}.pcap`, { lang: 'zh' });
      expect([r.code, r.stderr]).toEqual([0, '']);
      golden(join(FIXTURES, `${name}.zh.txt`), r.stdout);
    });
  }

  it('--lang zh leaves no English word of ours in any fixture\'s text report (ids only beside the names, in parentheses)', async () => {
    const english = /\b(Connection|Verdict|Evidence|Summary|Cause|causes|closer|reset by|handshake|final states|trailing bytes|stuck for|Not analysed|segments|client|server|connections?|inside|between|fragments?|datagrams?|reassembled|dropped)\b/;
    for (const file of captures) {
      const r = await analyzeInProcess(`fixtures/${file}`, { lang: 'zh' });
      // Ids in parentheses stay (`中止，握手期间（abort / handshake）`); the Info column is tshark's.
      const words = r.stdout.split('\n').map((line) => line.replace(/（[^）]*）/g, '').replace(/\[[A-Z][^\]]*\]/g, '')).join('\n');
      expect(words.match(english)?.[0], file).toBeUndefined();
    }
  });

  it('the built CLI prints what the in-process run wrote (text and JSON)', async () => {
    for (const args of [['--color', 'never'], ['--format', 'json']]) {
      const r = runCli(['analyze', 'fixtures/lab-mixed.pcap', ...args]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const inProcess = await analyzeInProcess('fixtures/lab-mixed.pcap', args[1] === 'json' ? { format: 'json' } : {});
      expect(r.stdout).toBe(inProcess.stdout);
    }
  });
});
