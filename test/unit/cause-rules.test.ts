import { describe, expect, it } from 'vitest';
import { HANDSHAKE } from './segments.js';
import { TALK, causesOf, only } from './cause-steps.js';
import type { Timed } from './cause-steps.js';

/** Each cause's rule at its edges (docs/causes.md), on connections written step by step (cause-steps.ts). */

describe('idle-timeout', () => {
  // TALK ends at 0.006 s: the silence is `at` - 0.006.
  const afterSilence = (at: number): Timed[] => [...TALK, ['c', 'PA', 11, 21, 5, { at }], ['s', 'R', 21, 0, 0, { ttl: 64 }]];
  it('30 s of silence, then the next packet answered by a RST from the path: idle-timeout on the path, and path-reset', () => {
    expect(causesOf(afterSilence(30.1))).toEqual(['idle-timeout:path', 'path-reset:path']);
    const c = only(afterSilence(35.006)).teardown.causes[0];
    expect(c?.evidence).toEqual([7, 8]);
    expect(c?.seconds).toBeCloseTo(35, 6);
  });
  it('not below 30 s', () => {
    expect(causesOf(afterSilence(29.9))).toEqual(['path-reset:path']);
  });
  it('not when the ending comes more than 30 of the connection\'s packets after the silence', () => {
    const chat = (n: number): Timed[] => Array.from({ length: n }, (_, i): Timed => ['c', 'PA', 16 + i, 21, 1]);
    const steps = (n: number): Timed[] => [...TALK, ['c', 'PA', 11, 21, 5, { at: 40 }], ...chat(n), ['s', 'RA', 21, 0, 0, { ttl: 63 }]];
    expect(causesOf(steps(29))).toEqual(['idle-timeout:server']);
    expect(causesOf(steps(31))).toEqual([]);
  });
});

describe('path-reset', () => {
  const reset = (ttl: number): Timed[] => [...TALK, ['s', 'RA', 21, 11, 0, { ttl }]];
  it('a RST whose TTL fits none of its sender\'s other packets, above or below them', () => {
    expect(causesOf(reset(64))).toEqual(['path-reset:path']);
    expect(causesOf(reset(62))).toEqual(['path-reset:path']);
    expect(only(reset(64)).teardown.causes[0]).toMatchObject({ evidence: [7], seconds: null });
  });
  it('not when its TTL is one of its sender\'s: a real RST', () => {
    expect(causesOf(reset(63))).toEqual([]);
    // A sender whose packets carry 60 and 63: a RST with 61 fits between them.
    expect(causesOf([...HANDSHAKE.slice(0, 1), ['s', 'SA', 0, 1, 0, { ttl: 60 }], ...TALK.slice(2), ['s', 'RA', 21, 11, 0, { ttl: 61 }]])).toEqual([]);
  });
  it('a RST after which its sender goes on sending', () => {
    const steps: Timed[] = [...TALK, ['s', 'RA', 21, 11, 0, { ttl: 63 }], ['s', 'PA', 21, 11, 5]];
    expect(only(steps).teardown.causes).toEqual([{ id: 'path-reset', side: 'path', evidence: [7, 8], seconds: null }]);
  });
  it('not for a RST after the close (it ended nothing)', () => {
    const closed: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'FA', 21, 12], ['c', 'A', 12, 22], ['s', 'R', 22, 0, 0, { ttl: 64 }]];
    expect(only(closed).teardown.class).toBe('graceful');
    // It reached the client in TIME_WAIT: that is its cause, not the path.
    expect(causesOf(closed)).toEqual(['time-wait-assassination:client']);
  });
});

describe('rst-ignored', () => {
  it('a RST its receiver cannot accept, after which the receiver goes on: not an ending', () => {
    const steps: Timed[] = [...TALK, ['s', 'RA', 1_000_000, 11, 0, { ttl: 63 }], ['c', 'PA', 11, 21, 3], ['s', 'A', 21, 14], ['c', 'FA', 14, 21], ['s', 'FA', 21, 15], ['c', 'A', 15, 22]];
    const f = only(steps);
    expect([f.teardown.class, f.teardown.detail, f.teardown.resetBy]).toEqual(['graceful', 'three-way', null]);
    expect(f.teardown.causes).toEqual([{ id: 'rst-ignored', side: 'server', evidence: [7], seconds: null }]);
  });
  it('one whose receiver says nothing after it still ends the connection', () => {
    const f = only([...TALK, ['s', 'RA', 1_000_000, 11, 0, { ttl: 63 }]]);
    expect(f.teardown.class).toBe('abort');
    expect(f.teardown.causes).toEqual([]);
  });
});

describe('connect-timeout and unanswered', () => {
  it('two SYNs and nothing else: unanswered, connect-timeout with the time they took', () => {
    const f = only([['c', 'S', 0, 0], ['c', 'S', 0, 0, 0, { at: 3 }]]);
    expect(f.teardown.class).toBe('unanswered');
    expect(f.teardown.causes).toEqual([{ id: 'connect-timeout', side: 'client', evidence: [1, 2], seconds: 2.999 }]);
  });
  it('one SYN: unanswered, too little to call a timeout', () => {
    const f = only([['c', 'S', 0, 0]]);
    expect([f.teardown.class, f.teardown.causes]).toEqual(['unanswered', []]);
  });
});

describe('retransmission-timeout', () => {
  const retransmit = (times: number, end: Timed[]): Timed[] => [...TALK, ['c', 'PA', 11, 21, 100, { at: 1 }],
    ...Array.from({ length: times }, (_, i): Timed => ['c', 'PA', 11, 21, 100, { at: 1 + 2 ** (i + 1) }]), ...end];
  it('retransmitted twice, nothing acknowledged, then the sender\'s RST', () => {
    expect(causesOf(retransmit(2, [['c', 'RA', 111, 21, 0, { at: 20 }]]))).toEqual(['retransmission-timeout:client']);
    expect(only(retransmit(2, [['c', 'RA', 111, 21, 0, { at: 20 }]])).teardown.causes[0]).toMatchObject({ evidence: [8, 9, 10], seconds: 17 });
  });
  it('then silence to the end of the capture: still open, and the cause says why', () => {
    const f = only(retransmit(3, []));
    expect([f.teardown.class, f.teardown.causes.map((c) => c.id)]).toEqual(['open', ['retransmission-timeout']]);
  });
  it('not after one retransmission, nor when the other side acknowledged new data', () => {
    expect(causesOf(retransmit(1, [['c', 'RA', 111, 21, 0, { at: 20 }]]))).toEqual([]);
    expect(causesOf(retransmit(2, [['s', 'A', 21, 111, 0, { at: 10 }], ['c', 'RA', 111, 21, 0, { at: 20 }]]))).toEqual([]);
  });
});

describe('keepalive-timeout and zero-window', () => {
  const probes = (win: number): Timed[] => [...TALK, ['s', 'A', 21, 11, 0, { win }], ['c', 'A', 10, 21, 0, { at: 3 }], ['c', 'A', 10, 21, 0, { at: 4 }], ['c', 'RA', 11, 21, 0, { at: 5 }]];
  it('probes (one below what was sent) unanswered, then the prober\'s RST', () => {
    expect(only(probes(512)).teardown.causes).toEqual([{ id: 'keepalive-timeout', side: 'client', evidence: [8, 10], seconds: null }]);
  });
  it('the same packets into a window the other side had shut are window probes: zero-window, not keep-alive', () => {
    expect(causesOf(probes(0))).toEqual(['zero-window:server']);
  });
  it('a probe answered is no timeout', () => {
    const answered: Timed[] = [...TALK, ['c', 'A', 10, 21, 0, { at: 3 }], ['s', 'A', 21, 11], ['c', 'RA', 11, 21, 0, { at: 5 }]];
    expect(causesOf(answered)).toEqual([]);
  });
});

describe('the closing causes', () => {
  it('fin-wait-2-timeout: the other side\'s FIN long after the close was acknowledged, answered by a bare RST', () => {
    const steps: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['s', 'FA', 21, 12, 0, { at: 10 }], ['c', 'R', 12, 0]];
    const f = only(steps);
    expect(f.teardown.class).toBe('rst-after-close');
    expect(f.teardown.causes).toEqual([{ id: 'fin-wait-2-timeout', side: 'client', evidence: [7, 8, 9, 10], seconds: 9.993 }]);
  });
  it('fin-wait-2-timeout for late data only from a second on: data right after a close() is the plain close-then-data', () => {
    const data = (at: number): Timed[] => [...TALK, ['c', 'FA', 11, 21], ['s', 'A', 21, 12], ['s', 'PA', 21, 12, 3, { at }], ['c', 'R', 12, 0, 0, { at: at + 0.001 }]];
    expect(causesOf(data(2))).toEqual(['fin-wait-2-timeout:client']);
    expect(causesOf(data(0.5))).toEqual([]);
  });
  it('last-ack-lost: the second FIN sent again and never acknowledged', () => {
    const steps: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'FA', 21, 12], ['s', 'FA', 21, 12, 0, { at: 2 }]];
    expect(only(steps).teardown.causes).toEqual([{ id: 'last-ack-lost', side: 'server', evidence: [8, 9], seconds: null }]);
    expect(causesOf([...steps, ['c', 'A', 12, 22]])).toEqual([]);
  });
  it('time-wait-assassination: a RST reaching the side in TIME_WAIT', () => {
    const steps: Timed[] = [...TALK, ['c', 'FA', 11, 21], ['s', 'FA', 21, 12], ['c', 'A', 12, 22], ['s', 'R', 22, 0]];
    expect(only(steps).teardown.causes).toEqual([{ id: 'time-wait-assassination', side: 'client', evidence: [10], seconds: null }]);
  });
});

describe('peer-lost-state, listen-overflow, capture-gap', () => {
  it('peer-lost-state: a bare RST answering data, from a side that never closed', () => {
    const steps: Timed[] = [...TALK, ['c', 'PA', 11, 21, 5, { at: 3 }], ['s', 'R', 21, 0]];
    expect(only(steps).teardown.causes).toEqual([{ id: 'peer-lost-state', side: 'server', evidence: [5, 7, 8], seconds: null }]);
    // [RST, ACK] from a socket (SO_LINGER 0, unread data) is not.
    expect(causesOf([...TALK, ['c', 'PA', 11, 21, 5, { at: 3 }], ['s', 'RA', 21, 16]])).toEqual([]);
  });
  it('listen-overflow: the SYN-ACK again after the handshake ACK', () => {
    expect(causesOf([...HANDSHAKE, ['s', 'SA', 0, 1, 0, { at: 1 }]])).toEqual(['listen-overflow:server']);
  });
  it('listen-overflow: a bare RST answering the handshake before any data', () => {
    expect(causesOf([...HANDSHAKE, ['s', 'R', 1, 0]])).toEqual(['listen-overflow:server']);
    expect(causesOf([...TALK, ['s', 'R', 21, 0]])).not.toContain('listen-overflow:server');
  });
  it('capture-gap: an ACK of one byte past the data, no FIN seen: the FIN is inferred there and the closer is right', () => {
    const steps: Timed[] = [...TALK, ['s', 'A', 21, 12], ['s', 'FA', 21, 12], ['c', 'A', 12, 22]];
    const f = only(steps);
    expect([f.teardown.class, f.teardown.closer]).toEqual(['graceful', 'client']);
    expect(f.teardown.causes).toEqual([{ id: 'capture-gap', side: 'client', evidence: [7], seconds: null }]);
  });
  it('capture-gap: an ACK of bytes never seen', () => {
    expect(causesOf([...TALK, ['s', 'A', 21, 500]])).toEqual(['capture-gap:client']);
  });
});
