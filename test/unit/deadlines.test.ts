import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { ENDED_LINGER_S } from '../../src/analysis/expiry.js';
import { IDLE_LIMIT_S } from '../../src/flow/reuse.js';
import { TcpFlag } from '../../src/decode/segment.js';
import type { TcpSegment } from '../../src/decode/segment.js';
import { DeadlineQueue, NO_DEADLINE } from '../../src/flow/deadlines.js';

/**
 * Expiry without scanning (flow/deadlines.ts, analysis/expiry.ts): the queue hands over exactly the
 * slots whose deadline has come, whatever order they were set in and however often they moved; the
 * analyzer releases connections at the same sweeps and in the same order as looking at every open
 * connection at every sweep would.
 */

const taken = (q: DeadlineQueue, sec: number): number[] => {
  const into: number[] = [];
  q.takeDue(sec, into);
  return into.sort((a, b) => a - b);
};

describe('the deadline queue (deadlines.ts)', () => {
  it('takes the slots whose deadline has come, each once, and clears their deadlines', () => {
    const q = new DeadlineQueue();
    for (const [slot, sec] of [[4, 30], [1, 10], [3, 10], [0, 20], [2, 10]] as const) q.schedule(slot, sec);
    expect(taken(q, 9)).toEqual([]);
    // Ties: every slot due at 10, in any order (the table sorts the released ones by id).
    expect(taken(q, 10)).toEqual([1, 2, 3]);
    expect([q.deadline(1), q.deadline(0)]).toEqual([NO_DEADLINE, 20]);
    expect(taken(q, 10)).toEqual([]);
    // A sweep that skipped seconds takes everything up to its own.
    expect(taken(q, 100)).toEqual([0, 4]);
    expect(q.entries).toBe(0);
  });

  it('a moved deadline counts where it was moved to, earlier or later; the old entry is dropped', () => {
    const q = new DeadlineQueue();
    q.schedule(7, 50);
    q.schedule(7, 20); // earlier
    q.schedule(8, 20);
    q.schedule(8, 60); // later
    expect(q.entries).toBe(4);
    expect(taken(q, 20)).toEqual([7]);
    expect(taken(q, 50)).toEqual([]); // 7's old entry, stale
    expect(taken(q, 59)).toEqual([]); // 8's old one came at 20, stale too
    expect(taken(q, 60)).toEqual([8]);
    expect(q.entries).toBe(0);
  });

  it('a forgotten slot is not taken; scheduled again (a reused slot) it counts from its new deadline only', () => {
    const q = new DeadlineQueue();
    q.schedule(3, 40);
    q.forget(3);
    expect(q.deadline(3)).toBe(NO_DEADLINE);
    q.schedule(3, 45); // a new connection in the freed slot
    expect(taken(q, 44)).toEqual([]);
    expect(taken(q, 45)).toEqual([3]);
    // Released and reused with the same second as a stale entry: taken once.
    q.schedule(3, 70);
    q.forget(3);
    q.schedule(3, 70);
    expect(taken(q, 70)).toEqual([3]);
  });

  it('matches a sorted list over thousands of random schedules, moves and forgets', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const q = new DeadlineQueue();
    const want = new Map<number, number>();
    for (let now = 0; now < 2000; now++) {
      for (let k = 0; k < 5; k++) {
        const slot = rnd(3000); // past the first 1024: the arrays grow
        if (rnd(10) === 0) {
          q.forget(slot);
          want.delete(slot);
        } else {
          const sec = now + rnd(100);
          q.schedule(slot, sec);
          want.set(slot, sec);
        }
      }
      const expected = [...want].filter(([, sec]) => sec <= now).map(([slot]) => slot).sort((a, b) => a - b);
      for (const slot of expected) want.delete(slot);
      expect(taken(q, now)).toEqual(expected);
    }
  });
});

// The analyzer's sweeps, fed segments by hand: connection i on port 40000 + i.
const FLAG: Record<string, number> = { S: TcpFlag.SYN, F: TcpFlag.FIN, R: TcpFlag.RST, A: TcpFlag.ACK };
let no = 0;
function seg(port: number, fromClient: boolean, flags: string, seq: number, ack: number): TcpSegment {
  let bits = 0;
  for (const ch of flags) bits |= FLAG[ch] ?? 0;
  const [a, b] = ['10.0.0.1', '10.0.0.2'];
  const v4 = (t: string): number => t.split('.').reduce((n, p) => (n << 8) | Number(p), 0) | 0;
  return {
    no: ++no, tsSec: 0, tsNsec: 0, ipVersion: 4, src: fromClient ? a : b, dst: fromClient ? b : a, srcV4: v4(fromClient ? a : b), dstV4: v4(fromClient ? b : a),
    srcPort: fromClient ? port : 80, dstPort: fromClient ? 80 : port, seq, ack, flags: bits, window: 512, urgent: 0, payloadLen: 0, options: [],
  };
}

/** Packets as [second (may be fractional), connection, what]; what: open, data, fin (both FINs), rst. */
type Step = [t: number, conn: number, what: 'open' | 'data' | 'fin' | 'rst'];

/** The ids released, with the capture second of the packet whose sweep released them ('end': finish). */
function releases(steps: Step[]): string[] {
  const out: string[] = [];
  let at = 'start';
  const a = new Analyzer('test', { packets: false, keepFlows: false, onFlow: (c) => out.push(`${c.id}@${at}`) });
  for (const [t, conn, what] of steps) {
    const time = { sec: Math.floor(t), nsec: Math.round((t % 1) * 1e9) };
    at = String(t);
    const port = 40000 + conn;
    const isn = 1000 * conn;
    const send = (s: TcpSegment): void => a.onSegment(s, time);
    if (what === 'open') send(seg(port, true, 'S', isn, 0));
    else if (what === 'data') send(seg(port, true, 'A', isn + 1, 1));
    else if (what === 'rst') send(seg(port, true, 'R', isn + 1, 0));
    else {
      send(seg(port, true, 'FA', isn + 1, 1));
      send(seg(port, false, 'FA', 1, isn + 2));
    }
  }
  at = 'end';
  a.finish(undefined, undefined);
  return out;
}

describe('releases follow the connections that expire (expiry.ts)', () => {
  // A sweep runs at the first packet of each new capture second; connections are numbered (ids) in
  // the order their first packets come.
  it('ties: connections due at one sweep go out in id order, not in the order of their slots or ends', () => {
    const steps: Step[] = [
      [0, 1, 'open'], [0, 1, 'rst'], [0, 2, 'open'], [1, 2, 'rst'],
      [60, 3, 'open'], // the sweep at 60 releases 1 (slot 0 free)
      [61, 4, 'open'], // 4 takes slot 0; the sweep releases 2 (slot 1 free)
      [62, 5, 'open'], // 5 takes slot 1
      [62, 5, 'rst'], [62.5, 4, 'rst'], [62.2, 3, 'rst'],
      [130, 6, 'open'],
    ];
    expect(releases(steps)).toEqual(['1@60', '2@61', '3@130', '4@130', '5@130', '6@end']);
  });

  it(`an ended connection goes ${ENDED_LINGER_S} s after its last packet, to the nanosecond; one not ended after ${IDLE_LIMIT_S} s`, () => {
    const steps: Step[] = [
      [100.5, 1, 'open'], [100.5, 1, 'rst'],
      [100.2, 2, 'open'],
      [160.4, 3, 'open'], // 60 whole seconds after 1's end, but 59.9 s: kept
      [161.4, 4, 'open'], // 60.9 s: released
      [100.2 + IDLE_LIMIT_S - 0.1, 5, 'open'], // 2, never ended: kept
      [101.3 + IDLE_LIMIT_S, 6, 'open'], // 3601.1 s: released; 3 and 4, idle for less, stay
    ];
    expect(releases(steps)).toEqual(['1@161.4', `2@${101.3 + IDLE_LIMIT_S}`, '3@end', '4@end', '5@end', '6@end']);
  });

  it('a connection whose packets keep moving its end is kept until a linger after its last one', () => {
    const steps: Step[] = [[0, 1, 'open'], [0, 2, 'open'], [2, 2, 'rst']];
    for (let t = 50; t <= 400; t += 50) steps.push([t, 1, 'data']);
    steps.push([401, 1, 'fin'], [401 + ENDED_LINGER_S - 1, 3, 'open'], [401 + ENDED_LINGER_S, 4, 'open']);
    expect(releases(steps)).toEqual(['2@100', `1@${401 + ENDED_LINGER_S}`, '3@end', '4@end']);
  });

  it('an idle connection that ends later goes a linger after its end, not an hour after its last look', () => {
    // At 70 it is looked at, idle and not ended: next look an hour after its packet. Its FINs at 150 bring that forward.
    const steps: Step[] = [[0, 1, 'open'], [70, 2, 'open'], [150, 1, 'fin'], [150 + ENDED_LINGER_S, 3, 'open']];
    expect(releases(steps)).toEqual([`1@${150 + ENDED_LINGER_S}`, '2@end', '3@end']);
  });

  it('a clock that goes back brings a deadline forward', () => {
    // 2's end goes back to 100 s; no sweep runs until the clock passes the last one (500 s).
    const steps: Step[] = [[500, 1, 'open'], [500, 2, 'open'], [100, 2, 'rst'], [161, 3, 'open'], [559, 4, 'open']];
    expect(releases(steps)).toEqual(['2@559', '1@end', '3@end', '4@end']);
  });
});
