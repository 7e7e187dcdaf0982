import { describe, expect, it } from 'vitest';
import { compareExpectation, expectationAround, flowEntryText, parseExpectation, updateExpectation, updatedEntry } from '../../src/analysis/expectation.js';
import type { Expectation } from '../../src/analysis/expectation.js';
import { HANDSHAKE, analyzeSteps } from './segments.js';

// Analysed inside each test, not at import: a mutation run (stryker.config.mjs) counts code run at
// import as reached by every test, and then runs the whole suite for each of its mutants.
const halfClose = () => analyzeSteps([...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'PA', 1, 2, 3], ['c', 'A', 2, 4], ['s', 'FA', 4, 2], ['c', 'A', 2, 5]]).flows;

describe('expectation files (docs/contract.md, "Expectation files")', () => {
  it('names only fields of ours: constructor, toString and __proto__ are fields that do not exist', () => {
    const got = compareExpectation({ flows: [{ constructor: 'x', toString: 'y' }] }, halfClose());
    expect(got).toEqual([{ flow: 1, field: 'constructor', expected: 'x', got: null }, { flow: 1, field: 'toString', expected: 'y', got: null }]);
  });

  it('matches the fields it names, in the verdict or the connection', () => {
    expect(compareExpectation({ flows: [{ class: 'half-close', closer: 'client', trailingBytes: 3, handshake: 'complete' }] }, halfClose())).toEqual([]);
  });

  it('reports each differing field with expected and got', () => {
    expect(compareExpectation({ flows: [{ class: 'graceful', detail: 'four-way', trailingBytes: 3 }] }, halfClose())).toEqual([
      { flow: 1, field: 'class', expected: 'graceful', got: 'half-close' },
      { flow: 1, field: 'detail', expected: 'four-way', got: null },
    ]);
  });

  it('reports a different number of connections', () => {
    expect(compareExpectation({ flows: [{}, {}] }, halfClose())[0]).toEqual({ flow: 0, field: 'connections', expected: 2, got: 1 });
  });

  it('--update writes class, detail, closer and trailingBytes and keeps fields a person added', () => {
    const updated = updateExpectation({ flows: [{ class: 'graceful', comment: 'shutdown lab', handshake: 'complete' }] }, halfClose());
    expect(updated).toEqual({ flows: [{ class: 'half-close', closer: 'client', trailingBytes: 3, comment: 'shutdown lab', handshake: 'complete' }] });
  });

  it('rejects what is not an expectation', () => {
    expect(() => parseExpectation('{"flow": []}')).toThrow(/expected an object/);
    expect(() => parseExpectation('nope')).toThrow(/not JSON/);
  });

  it('entries alike are one object once parsed (a large expectation repeats a few); the others stay as written', () => {
    const text = JSON.stringify({ flows: [{}, { class: 'graceful', closer: 'client' }, {}, { closer: 'client', class: 'graceful' }, { class: 'graceful', closer: 'client' }, { class: 'abort' }] });
    const flows = parseExpectation(text).flows;
    expect(flows).toEqual(JSON.parse(text).flows);
    expect(flows[2]).toBe(flows[0]);
    expect(flows[4]).toBe(flows[1]);
    expect(flows[3]).not.toBe(flows[1]); // the same fields in another order: written otherwise, kept apart
    expect(new Set(flows).size).toBe(4);
  });

  // Hostile input (docs/testing.md): 200,000 nested brackets overflowed the stack (internal error).
  it('refuses nesting deeper than 64 levels before parsing; brackets inside strings do not count', () => {
    const nested = (depth: number): string => `{"flows": [{"x": ${'['.repeat(depth - 3)}${']'.repeat(depth - 3)}}]}`;
    expect(parseExpectation(nested(64)).flows).toHaveLength(1);
    expect(() => parseExpectation(nested(65))).toThrow('nested deeper than 64 levels');
    expect(() => parseExpectation('['.repeat(200_000) + ']'.repeat(200_000))).toThrow('nested deeper than 64 levels');
    expect(() => parseExpectation('['.repeat(200_000))).toThrow('nested deeper than 64 levels');
    const brackets = String.raw`{"flows": [{"note": "${'[{'.repeat(1000)} \\ \" ]"}]}`; // an escaped backslash, then an escaped quote
    expect(parseExpectation(brackets).flows[0]?.['note']).toBe(`${'[{'.repeat(1000)} \\ " ]`);
  });

  it('rejects flows that are not objects, and null; accepts an empty list and an empty object per flow', () => {
    for (const text of ['null', '{"flows": {}}', '{"flows": [1]}', '{"flows": [null]}', '{"flows": [[]]}', '{"flows": ["x"]}', '{"flows": [{}, 2]}']) {
      expect(() => parseExpectation(text), text).toThrow('expected an object { "flows": [ { ... }, ... ] }');
    }
    expect(parseExpectation('{"flows": [], "note": 1}')).toEqual({ flows: [], note: 1 });
    expect(parseExpectation('{"flows": [{}, {"class": "open"}]}')).toEqual({ flows: [{}, { class: 'open' }] });
  });

  it('compares what there is when the counts differ: the missing connections are not compared', () => {
    expect(compareExpectation({ flows: [{ class: 'graceful' }, { class: 'open' }] }, halfClose())).toEqual([
      { flow: 0, field: 'connections', expected: 2, got: 1 },
      { flow: 1, field: 'class', expected: 'graceful', got: 'half-close' },
    ]);
  });

  it('--update drops a null detail and zero trailing bytes, even where a person wrote them; keeps the file\'s other keys; works without a file', () => {
    const open = analyzeSteps([...HANDSHAKE]).flows;
    const updated = updateExpectation({ flows: [{ detail: 'x', trailingBytes: 5, closer: 'server', pinned: true }], source: 'lab' } as never, open);
    expect(updated).toEqual({ flows: [{ class: 'open', closer: null, pinned: true }], source: 'lab' });
    expect(updateExpectation(undefined, open)).toEqual({ flows: [{ class: 'open', closer: null }] });
    expect(updateExpectation({ flows: [] }, halfClose())).toEqual({ flows: [{ class: 'half-close', closer: 'client', trailingBytes: 3 }] });
    const graceful = analyzeSteps([...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'FA', 1, 2], ['c', 'A', 2, 2]]).flows;
    expect(updateExpectation(undefined, graceful)).toEqual({ flows: [{ class: 'graceful', detail: 'four-way', closer: 'client' }] });
  });
});

describe('the updated expectation written a connection at a time', () => {
  it('is the text JSON.stringify writes of updateExpectation, whatever keys the old file has', () => {
    const flows = [...halfClose(), ...halfClose().map((f) => ({ ...f, id: 2 }))];
    const olds: Array<(Expectation & Record<string, unknown>) | undefined> = [
      undefined, { flows: [] }, { flows: [{ comment: 'a\nb' }] }, { note: 'x', flows: [{}, { class: 'open' }], after: { teardown: 'entries' } },
      { flows: [{ x: 'teardown-entries' }] },
    ];
    for (const old of olds) {
      for (const n of [0, 1, 2]) {
        const some = flows.slice(0, n);
        const { before, after } = expectationAround(old, some.length);
        const text = before + some.map((f, i) => flowEntryText(updatedEntry(old?.flows[i], f), i === 0)).join('') + after;
        expect(text).toBe(JSON.stringify(updateExpectation(old, some), null, 2) + '\n');
      }
    }
  });
});
