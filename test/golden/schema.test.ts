import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import { jsonSchema, SCHEMA_ID } from '../../src/render/json-schema.js';
import { analyzeInProcess } from './run-analyze.js';
import { ROOT } from './run-cli.js';

/**
 * The shipped JSON Schema (dist/teardown.schema.json, draft 2020-12) against every json golden of
 * fixtures/, every ndjson golden, and the ndjson of every fixture, through Ajv (a validator of the
 * whole draft, strict mode: a keyword it does not know is an error, not ignored).
 */
const FIXTURES = join(ROOT, 'fixtures');
const schema = JSON.parse(readFileSync(join(ROOT, 'dist', 'teardown.schema.json'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(schema);
const document = ajv.getSchema(SCHEMA_ID);
const line = ajv.getSchema(`${SCHEMA_ID}#/$defs/ndjsonLine`);

const problems = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');

describe('JSON Schema', () => {
  it('the build wrote the schema the source declares', () => {
    expect(schema).toEqual(jsonSchema());
    expect(document).toBeDefined();
    expect(line).toBeDefined();
  });

  const goldens = readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json') && !f.endsWith('.conn.json')).sort();
  it(`every json golden of fixtures/ is valid (${goldens.length} files)`, () => {
    expect(goldens.length).toBeGreaterThan(40);
    for (const f of goldens) {
      const ok = document?.(JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')));
      expect(ok, `${f}: ${problems(document?.errors)}`).toBe(true);
    }
  });

  it('every ndjson golden, and every fixture as ndjson with its packets (whole and a shard), is valid line by line', async () => {
    const texts: Array<[string, string]> = [];
    const large = join(ROOT, 'test', 'golden', 'large');
    for (const f of readdirSync(large).filter((n) => /\.ndjson(\.gz)?$/.test(n))) {
      const bytes = readFileSync(join(large, f));
      texts.push([f, (f.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')]);
    }
    expect(texts.length).toBeGreaterThan(0);
    for (const f of readdirSync(FIXTURES).filter((n) => /\.pcap(ng)?$/.test(n))) {
      texts.push([f, (await analyzeInProcess(`fixtures/${f}`, { format: 'ndjson' })).stdout]);
      // A shard's lines carry their release point, its summary line the shard (docs/distributed.md).
      texts.push([`${f} shard 2/2`, (await analyzeInProcess(`fixtures/${f}`, { format: 'ndjson', shard: { index: 1, of: 2 } })).stdout]);
    }
    for (const [name, text] of texts) {
      const lines = text.trimEnd().split('\n');
      for (const [i, l] of lines.entries()) {
        const ok = line?.(JSON.parse(l));
        expect(ok, `${name} line ${i + 1}: ${problems(line?.errors)}`).toBe(true);
      }
    }
  });

  it('rejects what the contract does not allow', () => {
    const golden = JSON.parse(readFileSync(join(FIXTURES, 'lab-mixed.json'), 'utf8')) as { flows: Array<Record<string, unknown>> };
    const flow = golden.flows[0] as { teardown: Record<string, unknown> };
    for (const [key, value] of [['class', 'closed'], ['detail', 'three-way'], ['closer', 'nobody']] as const) {
      const bad = structuredClone(golden) as { flows: Array<{ teardown: Record<string, unknown> }> };
      (bad.flows[0] as { teardown: Record<string, unknown> }).teardown[key] = value;
      expect(document?.(bad), `${key}: ${value}`).toBe(false);
    }
    expect(document?.({ ...golden, extra: 1 })).toBe(false);
    // A json flow has no absolute times; an ndjson flow must have them.
    expect(document?.({ ...golden, flows: [{ ...flow, startIso: '2026-01-01T00:00:00.000000Z' }] })).toBe(false);
    expect(line?.(flow)).toBe(false);
  });
});
