import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { CAUSE_IDS } from '../../src/analysis/causes.js';
import { compareExpectation, parseExpectation } from '../../src/analysis/expectation.js';
import { FIXTURES, fixtureCaptures, readFixture } from './fixtures.js';

/**
 * The causes against the real captures made for them (docs/causes.md): each fixture's verdicts and
 * causes as its expectation file says, analysed in this process (so a mutation run sees them), and
 * every cause id named by at least one fixture, its look-alikes by none.
 */
async function analyse(name: string) {
  const a = new Analyzer(name, { packets: false });
  const read = await readFixture(name, a);
  return a.finish(read?.info, read?.damage).flows;
}

const expectationOf = (name: string) => parseExpectation(readFileSync(join(FIXTURES, name.replace(/\.pcap(ng)?$/, '.expect.json')), 'utf8'));

describe('causes on the fixtures (analysis/causes.ts)', () => {
  const captures = fixtureCaptures();

  for (const name of captures.filter((n) => n.startsWith('cause-') || n.startsWith('lookalike-'))) {
    it(`${name}: the verdicts and causes of its expectation`, async () => {
      const exp = expectationOf(name);
      expect(exp.flows.every((f) => Array.isArray(f['causes']))).toBe(true);
      expect(compareExpectation(exp, await analyse(name))).toEqual([]);
    });
  }

  it('every cause id has a fixture whose verdict names it', async () => {
    const named = new Set<string>();
    for (const name of captures.filter((n) => n.startsWith('cause-'))) {
      for (const f of await analyse(name)) for (const c of f.teardown.causes) named.add(c.id);
    }
    expect([...CAUSE_IDS].filter((id) => !named.has(id))).toEqual([]);
  });

  it('the loopback fixtures that are not about causes have none (a SO_LINGER 0, a close then data, a FIN retransmitted by a tail-loss probe)', async () => {
    for (const name of captures.filter((n) => !n.startsWith('cause-') && !n.startsWith('lookalike-') && !n.startsWith('handbuilt-'))) {
      const causes = (await analyse(name)).flatMap((f) => f.teardown.causes.map((c) => c.id));
      expect({ name, causes }).toEqual({ name, causes: [] });
    }
  });
});
