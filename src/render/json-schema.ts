/**
 * The JSON Schema (draft 2020-12) of the json and ndjson forms (docs/contract.md, "JSON fields"),
 * built from the closed sets it names (classes and details, states, causes), so it cannot drift
 * from them. The build writes it to dist/teardown.schema.json (scripts/write-schema.mjs), which the
 * package ships; `#/$defs/ndjsonLine` is one line of ndjson. test/golden/schema.test.ts validates
 * every json and ndjson golden against it with Ajv.
 */
import { CAUSE_IDS } from '../analysis/causes.js';
import { TEARDOWN_CLASSES, VERDICT_KEYS } from '../analysis/verdict-keys.js';
import { TCP_STATES } from '../tcp/states.js';
import { TUNNEL_TYPES } from '../decode/segment.js';

export const SCHEMA_ID = 'urn:tcp-teardown:report';

const count = { type: 'integer', minimum: 0 } as const;
const seconds = { type: 'number' } as const;
const strict = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) =>
  ({ type: 'object', properties, required, additionalProperties: false });
const who = { enum: ['client', 'server', 'both', null] } as const;
const state = { enum: [...TCP_STATES] } as const;
/** docs/contract.md, "TCP packets in no connection": the list (at most 10,000) and how many more there were. */
const UNPLACED = { unplaced: { type: 'array', items: { $ref: '#/$defs/unplaced' } }, unplacedMore: { type: 'integer', minimum: 1 } } as const;

export function jsonSchema(): Record<string, unknown> {
  const details = [...new Set(VERDICT_KEYS.map((k) => k.split('/')[1]).filter((d) => d !== '-'))];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'teardown analyze --format json',
    description: "The json document; '#/$defs/ndjsonLine' is one line of --format ndjson (docs/contract.md, \"JSON fields\").",
    $ref: '#/$defs/document',
    $defs: {
      document: strict({
        capture: { $ref: '#/$defs/capture' },
        flows: { type: 'array', items: { $ref: '#/$defs/flow' } },
        // TCP packets in no connection, with packet rows, only when there are some
        ...UNPLACED,
        summary: { $ref: '#/$defs/summary' },
        errors: { $ref: '#/$defs/errors' },
      }, ['capture', 'flows', 'summary', 'errors']),
      ndjsonLine: {
        oneOf: [
          { $ref: '#/$defs/ndjsonFlow' },
          strict({ capture: { $ref: '#/$defs/capture' }, summary: { $ref: '#/$defs/summary' }, errors: { $ref: '#/$defs/errors' }, ...UNPLACED }, ['capture', 'summary', 'errors']),
        ],
      },
      unplaced: strict({
        no: { type: 'integer', minimum: 1 },
        time: seconds,
        src: { $ref: '#/$defs/endpoint' },
        dst: { $ref: '#/$defs/endpoint' },
        info: { type: 'string' },
        reason: { enum: ['truncated', 'malformed'] },
        why: { enum: ['ip-short', 'cut', 'data-offset', 'header-length'] },
        note: { type: 'string' },
      }),
      capture: strict({
        file: { type: 'string' },
        format: { enum: ['pcap', 'pcapng', null] },
        linkTypes: { type: 'array', items: count },
        packets: count,
        tcpPackets: count,
        skipped: { type: 'object', additionalProperties: count },
        firstTime: { type: ['number', 'null'] },
        lastTime: { type: ['number', 'null'] },
        dropped: { type: ['integer', 'null'], minimum: 0 },
        rowsKept: count,
        // several files read as one; IP fragments reassembled, and those dropped (only when not 0)
        files: { type: 'array', items: { type: 'string' } },
        reassembled: count,
        fragmentsDropped: count,
        // analyze --shard K/N: the shard this output holds (docs/distributed.md)
        shard: { type: 'string', pattern: '^[1-9]\\d*/[1-9]\\d*$' },
        // live's: the interface, the filter and tcpdump's counts (null when it did not say)
        interface: { type: 'string' },
        filter: { type: 'string' },
        received: { type: ['integer', 'null'], minimum: 0 },
        captured: { type: ['integer', 'null'], minimum: 0 },
      }, ['file', 'format', 'linkTypes', 'packets', 'tcpPackets', 'skipped', 'firstTime', 'lastTime']),
      endpoint: strict({ ip: { type: 'string' }, port: { type: 'integer', minimum: 0, maximum: 65535 } }),
      flowFields: {
        type: 'object',
        properties: {
          id: { type: 'integer', minimum: 1 },
          client: { $ref: '#/$defs/endpoint' },
          server: { $ref: '#/$defs/endpoint' },
          handshake: { enum: ['complete', 'partial', 'none'] },
          firstPacket: { type: 'integer', minimum: 1 },
          lastPacket: { type: 'integer', minimum: 1 },
          startTime: seconds,
          endTime: seconds,
          bytes: strict({ client: count, server: count }),
          history: { type: 'string', pattern: '^[\\^A-Za-z]*$' },
          teardown: { $ref: '#/$defs/teardown' },
          // the tunnel the connection came through (its VNI, key, session or TEID beside its type), when it did
          via: {
            type: 'object',
            properties: { type: { enum: [...TUNNEL_TYPES] }, outer: strict({ src: { type: 'string' }, dst: { type: 'string' } }) },
            required: ['type', 'outer'],
            additionalProperties: count,
          },
          finalState: strict({ client: state, server: state }),
          packets: { type: 'array', items: { $ref: '#/$defs/packet' } },
        },
        required: ['id', 'client', 'server', 'handshake', 'firstPacket', 'lastPacket', 'startTime', 'endTime', 'bytes', 'history', 'teardown', 'finalState'],
      },
      flow: { type: 'object', $ref: '#/$defs/flowFields', unevaluatedProperties: false },
      ndjsonFlow: {
        type: 'object',
        $ref: '#/$defs/flowFields',
        properties: {
          startIso: { type: 'string', pattern: '^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.(\\d{6}|\\d{9})Z|-?\\d+\\.(\\d{6}|\\d{9}))$' },
          endIso: { type: 'string', pattern: '^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.(\\d{6}|\\d{9})Z|-?\\d+\\.(\\d{6}|\\d{9}))$' },
          startEpoch: seconds,
          endEpoch: seconds,
          // analyze --shard K/N only: the record after (or, at a port reuse, before) which the
          // connection was released, and why (0 port reuse, 1 sweep, 2 end), for teardown merge
          release: { type: 'array', prefixItems: [{ type: 'integer', minimum: 0 }, { enum: [0, 1, 2] }], items: false, minItems: 2 },
        },
        required: ['startIso', 'endIso', 'startEpoch', 'endEpoch'],
        unevaluatedProperties: false,
      },
      teardown: {
        type: 'object',
        properties: {
          class: { enum: [...TEARDOWN_CLASSES] },
          detail: { enum: [...details, null] },
          closer: who,
          resetBy: who,
          trailingBytes: count,
          stuckFor: { type: ['number', 'null'], minimum: 0 },
          evidence: { type: 'array', items: { type: 'integer', minimum: 1 } },
          explanation: { type: 'string' },
          causes: { type: 'array', items: { $ref: '#/$defs/cause' } },
        },
        required: ['class', 'detail', 'closer', 'resetBy', 'trailingBytes', 'stuckFor', 'evidence', 'explanation', 'causes'],
        additionalProperties: false,
        // Only the class/detail pairs docs/contract.md ("Classes") allows.
        anyOf: VERDICT_KEYS.map((key) => {
          const [cls, detail] = key.split('/');
          return { properties: { class: { const: cls }, detail: { const: detail === '-' ? null : detail } } };
        }),
      },
      cause: strict({
        id: { enum: [...CAUSE_IDS] },
        side: { enum: ['client', 'server', 'path'] },
        evidence: { type: 'array', items: { type: 'integer', minimum: 1 } },
        seconds: { type: ['number', 'null'] },
      }),
      packet: strict({
        no: { type: 'integer', minimum: 1 },
        time: seconds,
        dir: { enum: ['c2s', 's2c'] },
        flags: { type: 'string' },
        seq: count,
        ack: count,
        len: count,
        win: count,
        info: { type: 'string' },
        client: state,
        server: state,
        note: { type: 'string' },
      }),
      summary: strict({
        flows: count,
        byClass: { type: 'object', propertyNames: { enum: [...TEARDOWN_CLASSES] }, additionalProperties: { type: 'integer', minimum: 1 } },
        byCause: { type: 'object', propertyNames: { enum: [...CAUSE_IDS] }, additionalProperties: { type: 'integer', minimum: 1 } },
      }),
      errors: {
        type: 'array',
        items: strict({ file: { type: 'string' }, offset: count, packet: { type: 'integer', minimum: 1 }, message: { type: 'string' } }),
      },
    },
  };
}
