import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { FlowReport } from '../../src/analysis/report.js';
import { readCaptureFile } from '../../src/capture/read.js';
import { flowJson, flowJsonLine } from '../../src/render/json.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const origin = { sec: 1_700_000_000, nsec: 0 };

/** A finished connection with every field set, overridden as each case needs. */
function flow(over: Partial<FlowReport> = {}, teardown: Partial<FlowReport['teardown']> = {}): FlowReport {
  return {
    id: 7, client: { ip: '10.0.0.1', port: 40000 }, server: { ip: '2001:db8::1', port: 443 }, handshake: 'partial',
    firstPacket: 3, lastPacket: 3_000_000_000, startTime: 0.1 + 0.2, endTime: 12.3456789012, bytes: { client: 0, server: 2 ** 40 },
    history: 'ShADadFf',
    teardown: {
      class: 'stuck', detail: 'close-wait', closer: 'client', resetBy: null, trailingBytes: 0, stuckFor: 1e-7,
      evidence: [3, 9, 12], explanation: 'quotes " and \\ backslash, a tab\t, a NUL \u0000, 中文, a lone surrogate \ud800.', ...teardown,
    },
    finalState: { client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' }, rows: undefined, ...over,
  };
}

describe('flowJsonLine (the ndjson line written by hand)', () => {
  it('is JSON.stringify(flowJson(...)) for awkward values', () => {
    const cases = [
      flow(),
      flow({ startTime: -0, endTime: NaN, bytes: { client: Infinity, server: -1 } }, { detail: null, closer: null, resetBy: 'both', stuckFor: null, evidence: [] }),
      flow({ rows: [] }),
    ];
    for (const f of cases) expect(flowJsonLine(f, origin, 'en')).toBe(JSON.stringify(flowJson(f, origin, 'en')));
  });

  it('is JSON.stringify(flowJson(...)) for every connection of every fixture, in both languages', async () => {
    const captures = readdirSync(FIXTURES).filter((n) => /\.pcap(ng)?$/.test(n));
    expect(captures.length).toBeGreaterThan(10);
    let flows = 0;
    for (const name of captures) {
      for (const lang of ['en', 'zh'] as const) {
        const a = new Analyzer(name, { packets: false, lang });
        const r = await readCaptureFile(join(FIXTURES, name), (rec) => a.onRecord(rec)).catch(() => undefined);
        const report = a.finish(r?.info, r?.damage);
        const start = a.firstTime ?? origin;
        for (const f of report.flows) {
          expect(flowJsonLine(f, start, lang)).toBe(JSON.stringify(flowJson(f, start, lang)));
          flows++;
        }
      }
    }
    expect(flows).toBeGreaterThan(20);
  });
});
