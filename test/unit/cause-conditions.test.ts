import { describe, expect, it } from 'vitest';
import { HANDSHAKE } from './segments.js';
import { TALK, only } from './cause-steps.js';
import type { Timed } from './cause-steps.js';

/**
 * Each part of each cause's condition (analysis/causes.ts) held apart: a connection where that
 * part alone decides, with its class and its exact causes. cause-rules.test.ts holds the rules as
 * wholes; these are the cases a rule with one part dropped or loosened would get wrong.
 */
const verdict = (steps: Timed[]) => {
  const t = only(steps).teardown;
  return { class: t.class, detail: t.detail, causes: t.causes };
};
const none = (cls: string, detail: string | null) => ({ class: cls, detail, causes: [] });
const cause = (id: string, side: string, evidence: number[], seconds: number | null = null) => ({ id, side, evidence, seconds });

describe('connect-timeout: SYNs again, then the client resets a late SYN-ACK', () => {
  const late = (syns: number, resetBy: 'c' | 's'): Timed[] => [
    ...Array.from({ length: syns }, (_, i): Timed => ['c', 'S', 0, 0, 0, { at: i }]),
    ['s', 'SA', 0, 1, 0, { at: 3 }], [resetBy, 'R', 1, 0, 0, { at: 3.001 }],
  ];
  it('two SYNs, the SYN-ACK 3 s after the first, the client\'s RST: abort in the handshake, connect-timeout', () => {
    expect(verdict(late(2, 'c'))).toEqual({ class: 'abort', detail: 'handshake', causes: [cause('connect-timeout', 'client', [1, 2, 4], 3.001)] });
  });
  it('not after one SYN, nor when the server resets, nor once the handshake is done', () => {
    expect(verdict(late(1, 'c'))).toEqual(none('abort', 'handshake'));
    expect(verdict(late(2, 's'))).toEqual(none('abort', 'handshake'));
    const done: Timed[] = [['c', 'S', 0, 0], ['c', 'S', 0, 0, 0, { at: 1 }], ['s', 'SA', 0, 1, 0, { at: 3 }], ['c', 'A', 1, 1], ['c', 'PA', 1, 1, 5], ['c', 'RA', 6, 1]];
    expect(verdict(done)).toEqual(none('abort', 'established'));
  });
  it('not after one SYN when the connection has other rare facts (an ACK of bytes never sent)', () => {
    const steps: Timed[] = [['c', 'S', 0, 0], ['s', 'SA', 0, 1, 0, { at: 3 }], ['c', 'A', 1, 5], ['c', 'R', 1, 0]];
    expect(verdict(steps)).toEqual({ class: 'abort', detail: 'handshake', causes: [cause('capture-gap', 'server', [3])] });
  });
});

describe('where the connection ended (analysis/ending.ts), as the causes read it', () => {
  it('a refusal is the server\'s RST even when the client reset first (the client\'s RST, with a TTL unlike its SYN\'s, is judged for nothing)', () => {
    expect(verdict([['c', 'S', 0, 0], ['c', 'R', 1, 0, 0, { ttl: 70 }], ['s', 'RA', 0, 1]])).toEqual(none('refused', null));
  });
  it('a RST between the two FINs\' ACKs still ends the connection: over only once both are acknowledged', () => {
    expect(verdict([...TALK, ['c', 'FA', 11, 21], ['s', 'FA', 21, 12], ['s', 'R', 22, 0], ['c', 'A', 12, 22]])).toEqual(none('rst-after-close', 'other'));
  });
});

describe('listen-overflow: each part of the reset form', () => {
  it('the SYN-ACK again, then data answered by a bare RST: listen-overflow alone, not peer-lost-state as well', () => {
    const steps: Timed[] = [...HANDSHAKE, ['s', 'SA', 0, 1, 0, { at: 1 }], ['c', 'PA', 1, 1, 10], ['s', 'R', 1, 0]];
    expect(verdict(steps)).toEqual({ class: 'abort', detail: 'established', causes: [cause('listen-overflow', 'server', [2, 4])] });
  });
  it('a server that acknowledged exactly the handshake (its ISN + 1), then reset bare', () => {
    expect(verdict([...HANDSHAKE, ['s', 'A', 1, 1], ['s', 'R', 1, 0]])).toEqual({ class: 'abort', detail: 'established', causes: [cause('listen-overflow', 'server', [2, 5])] });
  });
  it('not when the server acknowledged the client\'s data', () => {
    expect(verdict([...HANDSHAKE, ['c', 'PA', 1, 1, 4], ['s', 'A', 1, 5], ['s', 'R', 1, 0]])).toEqual(none('abort', 'established'));
  });
  it('not when the server had sent data (then the bare RST is peer-lost-state)', () => {
    expect(verdict([...HANDSHAKE, ['s', 'PA', 1, 1, 10], ['c', 'A', 1, 11], ['s', 'R', 11, 0]]))
      .toEqual({ class: 'abort', detail: 'established', causes: [cause('peer-lost-state', 'server', [4, 5, 6])] });
  });
  it('not after the server\'s FIN, not for [RST, ACK], not when the client reset first', () => {
    expect(verdict([...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'A', 1, 2], ['s', 'R', 2, 0]])).toEqual(none('rst-after-close', 'other'));
    expect(verdict([...HANDSHAKE, ['s', 'RA', 1, 1]])).toEqual(none('abort', 'established'));
    expect(verdict([...HANDSHAKE, ['c', 'R', 1, 0], ['s', 'R', 1, 0]])).toEqual(none('abort', 'established'));
  });
});

describe('keepalive-timeout: the probes before the prober\'s RST, before its FIN', () => {
  it('a probe after the RST is not one that went unanswered (the RST is the path\'s: its sender went on)', () => {
    const steps: Timed[] = [...TALK, ['c', 'RA', 11, 21, 0, { at: 1 }], ['c', 'A', 10, 21, 0, { at: 3 }]];
    expect(verdict(steps)).toEqual({ class: 'abort', detail: 'established', causes: [cause('path-reset', 'path', [7, 8])] });
  });
  it('not when the prober had closed: probes, its FIN, its RST', () => {
    const steps: Timed[] = [...TALK, ['c', 'A', 10, 21, 0, { at: 3 }], ['c', 'FA', 11, 21, 0, { at: 4 }], ['c', 'R', 12, 0, 0, { at: 5 }]];
    expect(verdict(steps)).toEqual(none('rst-after-close', 'other'));
  });
});

describe('idle-timeout and path-reset at their edges', () => {
  it('exactly 30 s of silence is enough', () => {
    const steps: Timed[] = [...TALK, ['c', 'PA', 11, 21, 5, { at: 30.006 }], ['s', 'RA', 21, 16, 0]];
    expect(verdict(steps)).toEqual({ class: 'abort', detail: 'established', causes: [cause('idle-timeout', 'server', [7, 8], 30)] });
  });
  it('the RST that ends the silence is its ending; a RST before the silence is not', () => {
    expect(verdict([...TALK, ['s', 'RA', 21, 11, 0, { at: 40 }]])).toEqual({ class: 'abort', detail: 'established', causes: [cause('idle-timeout', 'server', [7], 39.994)] });
    expect(verdict([...TALK, ['s', 'RA', 21, 11, 0, { at: 0.01 }], ['c', 'PA', 11, 21, 5, { at: 40 }]])).toEqual(none('abort', 'established'));
  });
  it('path-reset is judged for a refusal and for a RST after its sender\'s own FIN, with the TTLs it found', () => {
    const refusal: Timed[] = [['c', 'S', 0, 0], ['s', 'RA', 0, 1, 0, { ttl: 64 }], ['s', 'A', 0, 1]];
    expect(verdict(refusal)).toEqual({ class: 'refused', detail: null, causes: [{ ...cause('path-reset', 'path', [2]), ttl: { rst: 64, low: 63, high: 63 } }] });
    const closed: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['c', 'R', 12, 0, 0, { ttl: 65 }]];
    expect(verdict(closed)).toEqual({ class: 'rst-after-close', detail: 'other', causes: [{ ...cause('path-reset', 'path', [9]), ttl: { rst: 65, low: 64, high: 64 } }] });
  });
  it('no TTL test for a sender whose packets carried none (TTL 0)', () => {
    const steps: Timed[] = [['c', 'S', 0, 0], ['s', 'SA', 0, 1, 0, { ttl: 0 }], ['c', 'A', 1, 1], ['s', 'RA', 1, 1, 0, { ttl: 64 }]];
    expect(verdict(steps)).toEqual(none('abort', 'established'));
  });
});

describe('zero-window: which side, and which ending follows from it', () => {
  it('the client\'s window shut, the server\'s probes, the server\'s RST', () => {
    const steps: Timed[] = [...TALK, ['c', 'A', 11, 21, 0, { win: 0 }], ['s', 'A', 20, 11, 0, { at: 3 }], ['s', 'A', 20, 11, 0, { at: 4 }], ['s', 'RA', 21, 11, 0, { at: 5 }]];
    expect(verdict(steps)).toEqual({ class: 'abort', detail: 'established', causes: [cause('zero-window', 'client', [7, 8, 10])] });
  });
  it('not when the side whose window shut resets, nor the side with the open window\'s peer', () => {
    expect(verdict([...TALK, ['s', 'A', 21, 11, 0, { win: 0 }], ['s', 'RA', 21, 11, 0, { at: 1 }]])).toEqual(none('abort', 'established'));
    expect(verdict([...TALK, ['c', 'A', 11, 21, 0, { win: 0 }], ['c', 'RA', 11, 21, 0, { at: 1 }]])).toEqual(none('abort', 'established'));
  });
  it('the sender\'s RST after its own FIN (no probes: their 0 is no packet)', () => {
    const steps: Timed[] = [...TALK, ['s', 'A', 21, 11, 0, { win: 0 }], ['c', 'FA', 11, 21], ['s', 'A', 21, 12, 0, { win: 0 }], ['c', 'R', 12, 0, 0, { at: 1 }]];
    expect(verdict(steps)).toEqual({ class: 'rst-after-close', detail: 'other', causes: [cause('zero-window', 'server', [7, 10])] });
  });
  it('open or stuck with the window still shut; not once it opened again', () => {
    expect(verdict([...TALK, ['s', 'A', 21, 11, 0, { win: 0 }]])).toEqual({ class: 'open', detail: null, causes: [cause('zero-window', 'server', [7])] });
    expect(verdict([...TALK, ['s', 'A', 21, 11, 0, { win: 0 }], ['c', 'FA', 11, 21, 0, { at: 1 }]]))
      .toEqual({ class: 'stuck', detail: 'fin-wait-1', causes: [cause('zero-window', 'server', [7, 8])] });
    expect(verdict([...TALK, ['s', 'A', 21, 11, 0, { win: 0 }], ['s', 'A', 21, 11, 0, { at: 1 }]])).toEqual(none('open', null));
  });
});

describe('peer-lost-state: each part', () => {
  it('evidence in packet order when the other side goes on after the RST', () => {
    const steps: Timed[] = [...TALK, ['c', 'PA', 11, 21, 5, { at: 3 }], ['s', 'R', 21, 0], ['c', 'PA', 11, 21, 5, { at: 4 }]];
    expect(verdict(steps)).toEqual({ class: 'abort', detail: 'established', causes: [cause('peer-lost-state', 'server', [5, 8, 9])] });
  });
  it('not in the handshake, not from a side that sent nothing before its RST, not when the RST came after a close', () => {
    expect(verdict([['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'S', 0, 0, 0, { at: 1 }], ['s', 'R', 1, 0, 0, { at: 1.001 }]])).toEqual(none('abort', 'handshake'));
    expect(verdict([['c', 'PA', 1, 1, 5], ['c', 'PA', 6, 1, 5, { at: 1 }], ['s', 'R', 1, 0, 0, { at: 1.001 }]])).toEqual(none('abort', 'established'));
    // The client closed and then reset: rst-after-close, although the server's bare RST came first.
    expect(verdict([...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['c', 'A', 12, 21], ['s', 'R', 21, 0], ['c', 'R', 12, 0]])).toEqual(none('rst-after-close', 'other'));
  });
});

describe('fin-wait-2-timeout: the late FIN and the late data', () => {
  it('not for a FIN that acknowledged the close (a simultaneous close), nor one after the RST', () => {
    expect(verdict([...TALK, ['c', 'FA', 11, 21], ['s', 'FA', 21, 12, 0, { at: 10 }], ['c', 'R', 12, 0, 0, { at: 10.001 }]])).toEqual(none('rst-after-close', 'other'));
    expect(verdict([...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['c', 'R', 12, 0, 0, { at: 10 }], ['s', 'FA', 21, 12, 0, { at: 10.001 }]])).toEqual(none('rst-after-close', 'other'));
  });
  it('not for a FIN after data that came within the second', () => {
    const steps: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['s', 'PA', 21, 12, 3, { at: 0.3 }], ['s', 'FA', 24, 12, 0, { at: 0.4 }], ['c', 'R', 12, 0, 0, { at: 0.5 }]];
    expect(verdict(steps)).toEqual(none('rst-after-close', 'data-after-close'));
  });
  it('not for a late RST with nothing from the other side before it', () => {
    expect(verdict([...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['c', 'R', 12, 0, 0, { at: 5 }]])).toEqual(none('rst-after-close', 'other'));
  });
  it('data exactly one second after the close was acknowledged is late', () => {
    const steps: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12, 0, { at: 0.5 }], ['s', 'PA', 21, 12, 3, { at: 1.2 }], ['c', 'R', 12, 0, 0, { at: 1.5 }]];
    expect(verdict(steps)).toEqual({ class: 'rst-after-close', detail: 'data-after-close', causes: [cause('fin-wait-2-timeout', 'client', [7, 8, 9, 10], 1)] });
  });
});

describe('last-ack-lost: the second FIN of a close', () => {
  it('the client\'s, when it closed second', () => {
    const steps: Timed[] = [...TALK, ['s', 'FA', 21, 11], ['c', 'FA', 11, 22], ['c', 'FA', 11, 22, 0, { at: 2 }]];
    expect(verdict(steps)).toEqual({ class: 'graceful', detail: 'three-way', causes: [cause('last-ack-lost', 'client', [8, 9])] });
  });
  it('after a half-close', () => {
    const steps: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['s', 'PA', 21, 12, 5], ['c', 'A', 12, 26], ['s', 'FA', 26, 12], ['s', 'FA', 26, 12, 0, { at: 2 }]];
    expect(verdict(steps)).toEqual({ class: 'half-close', detail: null, causes: [cause('last-ack-lost', 'server', [11, 12])] });
  });
  it('not when it was acknowledged in the end, nor when it was never sent again (a long silence before, so the causes are looked at)', () => {
    expect(verdict([...TALK, ['c', 'FA', 11, 21, 0, { at: 40 }], ['s', 'FA', 21, 12], ['s', 'FA', 21, 12, 0, { at: 42 }], ['c', 'A', 12, 22]])).toEqual(none('graceful', 'three-way'));
    expect(verdict([...TALK, ['c', 'FA', 11, 21, 0, { at: 40 }], ['s', 'FA', 21, 12]])).toEqual(none('graceful', 'three-way'));
  });
  it('not when a RST ended the connection', () => {
    expect(verdict([...TALK, ['c', 'FA', 11, 21], ['s', 'FA', 21, 12], ['s', 'FA', 21, 12, 0, { at: 2 }], ['c', 'R', 12, 0]])).toEqual(none('rst-after-close', 'other'));
  });
});

describe('rst-ignored and capture-gap from the client', () => {
  it('the client\'s RST the server could not accept, the server going on', () => {
    const steps: Timed[] = [...TALK, ['c', 'RA', 1_000_000, 21, 0], ['s', 'PA', 21, 11, 3], ['c', 'A', 11, 24]];
    expect(verdict(steps)).toEqual({ class: 'open', detail: null, causes: [cause('rst-ignored', 'client', [7])] });
  });
  it('the client acknowledging bytes the server was never seen sending: the capture lacks the server\'s', () => {
    expect(verdict([...TALK, ['c', 'A', 11, 500]])).toEqual({ class: 'open', detail: null, causes: [cause('capture-gap', 'server', [7])] });
  });
});

describe('retransmission-timeout: whose retransmissions, and what followed them', () => {
  it('the server\'s, then its RST; the seconds from its first retransmission to the RST, fraction included', () => {
    const steps: Timed[] = [...TALK, ['s', 'PA', 21, 11, 100, { at: 1 }], ['s', 'PA', 21, 11, 100, { at: 3 }], ['s', 'PA', 21, 11, 100, { at: 5 }], ['s', 'RA', 121, 11, 0, { at: 20.5 }]];
    expect(verdict(steps)).toEqual({ class: 'abort', detail: 'established', causes: [cause('retransmission-timeout', 'server', [8, 9, 10], 17.5)] });
  });
  it('not for a side that retransmitted once, though the other retransmitted more', () => {
    const steps: Timed[] = [...TALK, ['c', 'PA', 11, 21, 100, { at: 1 }], ['c', 'PA', 11, 21, 100, { at: 2 }], ['s', 'PA', 21, 11, 100, { at: 3 }],
      ['s', 'PA', 21, 11, 100, { at: 4 }], ['s', 'PA', 21, 11, 100, { at: 5 }], ['c', 'RA', 111, 21, 0, { at: 6 }]];
    expect(verdict(steps)).toEqual(none('abort', 'established'));
  });
  it('not when the other side reset, nor when the RST came before the retransmissions', () => {
    const client = (end: Timed[]): Timed[] => [...TALK, ['c', 'PA', 11, 21, 100, { at: 1 }], ...end];
    expect(verdict(client([['c', 'PA', 11, 21, 100, { at: 2 }], ['c', 'PA', 11, 21, 100, { at: 4 }], ['s', 'RA', 21, 11, 0, { at: 6 }]]))).toEqual(none('abort', 'established'));
    expect(verdict(client([['c', 'RA', 111, 21, 0, { at: 1.5 }], ['c', 'PA', 11, 21, 100, { at: 2 }], ['c', 'PA', 11, 21, 100, { at: 4 }]])))
      .toEqual({ class: 'abort', detail: 'established', causes: [cause('path-reset', 'path', [8, 10])] });
  });
  it('silent after them: not when the other side sent the last packet, nor after an abort', () => {
    const client = (end: Timed[]): Timed[] => [...TALK, ['c', 'PA', 11, 21, 100, { at: 1 }], ...end];
    expect(verdict(client([['c', 'PA', 11, 21, 100, { at: 2 }], ['c', 'PA', 11, 21, 100, { at: 4 }], ['s', 'A', 21, 11, 0, { at: 5 }]]))).toEqual(none('open', null));
    expect(verdict(client([['s', 'RA', 21, 11, 0, { at: 1.5 }], ['c', 'PA', 11, 21, 100, { at: 2 }], ['c', 'PA', 11, 21, 100, { at: 4 }]]))).toEqual(none('abort', 'established'));
  });
  it('silent after them while stuck: the seconds to the end of the capture', () => {
    const steps: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['s', 'PA', 21, 12, 100, { at: 1 }], ['s', 'PA', 21, 12, 100, { at: 2 }], ['s', 'PA', 21, 12, 100, { at: 4 }]];
    expect(verdict(steps)).toEqual({ class: 'stuck', detail: 'close-wait', causes: [cause('retransmission-timeout', 'server', [10, 11], 2)] });
  });
});
