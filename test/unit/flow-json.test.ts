import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { flowJson, reportJson } from '../../src/render/json.js';
import type { FlowJson, PacketJson, TeardownJson } from '../../src/render/json.js';
import { FIXTURES, fixtureCaptures, readFixture } from './fixtures.js';

/** The keys of each JSON object, in the order written, typed against the library's interfaces: a key the type lacks does not compile. */
const FLOW_KEYS = ['id', 'client', 'server', 'handshake', 'firstPacket', 'lastPacket', 'startTime', 'endTime', 'bytes', 'history', 'teardown', 'via', 'finalState', 'packets'] as const satisfies ReadonlyArray<keyof FlowJson>;
const TEARDOWN_KEYS = ['class', 'detail', 'closer', 'resetBy', 'trailingBytes', 'stuckFor', 'evidence', 'explanation', 'causes'] as const satisfies ReadonlyArray<keyof TeardownJson>;
const PACKET_KEYS = ['no', 'time', 'dir', 'flags', 'seq', 'ack', 'len', 'win', 'info', 'client', 'server', 'note'] as const satisfies ReadonlyArray<keyof PacketJson>;
// And a key the type has but the lists lack does not compile either.
const everyKey: [Exclude<keyof FlowJson, (typeof FLOW_KEYS)[number]>, Exclude<keyof TeardownJson, (typeof TEARDOWN_KEYS)[number]>, Exclude<keyof PacketJson, (typeof PACKET_KEYS)[number]>] extends [never, never, never] ? true : false = true;

describe('flowJson (the library\'s typed JSON form of a flow, docs/contract.md "JSON fields")', () => {
  it('with its defaults (origin: the capture\'s first record, English) is each fixture\'s golden JSON flow, with the keys FlowJson declares', async () => {
    expect(everyKey).toBe(true);
    let flows = 0;
    let packets = 0;
    for (const name of fixtureCaptures()) {
      const goldenFile = join(FIXTURES, name.replace(/\.pcap(ng)?$/, '.json'));
      if (!existsSync(goldenFile)) continue;
      const golden = JSON.parse(readFileSync(goldenFile, 'utf8')) as { flows: FlowJson[] };
      const analyzer = new Analyzer(name, { packets: true });
      const r = await readFixture(name, analyzer);
      const report = analyzer.finish(r?.info, r?.damage);
      const origin = analyzer.firstTime;
      for (const f of report.flows) {
        const json = flowJson(f);
        expect(json, `${name} #${f.id}`).toEqual(golden.flows[f.id - 1]);
        expect(flowJson(f, origin, 'en')).toEqual(json);
        expect(Object.keys(json)).toEqual(FLOW_KEYS.filter((k) => (k !== 'packets' || json.packets !== undefined) && (k !== 'via' || json.via !== undefined)));
        expect(Object.keys(json.teardown)).toEqual(TEARDOWN_KEYS);
        for (const p of json.packets ?? []) expect(Object.keys(p)).toEqual(PACKET_KEYS);
        flows++;
        packets += json.packets?.length ?? 0;
      }
      // The document, likewise, with the origin left out.
      if (origin !== undefined) expect(reportJson(report)).toBe(reportJson(report, origin, 'en'));
    }
    expect(flows).toBeGreaterThan(40);
    expect(packets).toBeGreaterThan(500);
  });
});
