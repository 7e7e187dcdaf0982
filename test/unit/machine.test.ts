import { describe, expect, it } from 'vitest';
import { finAcked, finSent, reset, startMidstream, synAckSent, synAcked, synSent } from '../../src/tcp/machine.js';
import { TCP_STATES, type TcpState } from '../../src/tcp/states.js';

/**
 * The state rules one at a time (tcp/machine.ts), on a store of two connections so that a rule
 * writing the wrong cell or the neighbouring connection shows. Each row: the rule, the cell it is
 * applied to (0: this side, 1: its peer), both sides' states before, both sides' states after.
 * The verdict and property tests drive the same rules through whole connections; these rows pin
 * the transitions those connections seldom take (a SYN-ACK from LISTEN, a FIN in CLOSE_WAIT, ...).
 */
type Rule = (states: Uint8Array, cell: number) => void;
type Row = [name: string, rule: Rule, before: [TcpState, TcpState], after: [TcpState, TcpState]];

const RULES: Record<string, Rule> = { startMidstream, synSent, synAckSent, synAcked, finAcked, finSent, reset };

const ROWS: Row[] = [
  ['startMidstream', startMidstream, ['CLOSED', 'CLOSED'], ['ESTABLISHED', 'ESTABLISHED']],

  ['synSent', synSent, ['CLOSED', 'CLOSED'], ['SYN_SENT', 'LISTEN']],
  ['synSent', synSent, ['CLOSED', 'SYN_SENT'], ['SYN_SENT', 'SYN_SENT']],
  ['synSent', synSent, ['SYN_SENT', 'LISTEN'], ['SYN_SENT', 'LISTEN']],
  ['synSent', synSent, ['ESTABLISHED', 'CLOSED'], ['ESTABLISHED', 'CLOSED']],
  // A SYN answering a SYN (simultaneous open, split handshake: RFC 9293 §3.5, figure 8).
  ['synSent', synSent, ['LISTEN', 'SYN_SENT'], ['SYN_SENT', 'SYN_SENT']],

  ['synAckSent', synAckSent, ['CLOSED', 'CLOSED'], ['SYN_RECEIVED', 'SYN_SENT']],
  ['synAckSent', synAckSent, ['LISTEN', 'SYN_SENT'], ['SYN_RECEIVED', 'SYN_SENT']],
  ['synAckSent', synAckSent, ['SYN_SENT', 'LISTEN'], ['SYN_SENT', 'LISTEN']],
  ['synAckSent', synAckSent, ['SYN_SENT', 'SYN_SENT'], ['SYN_RECEIVED', 'SYN_SENT']],
  ['synAckSent', synAckSent, ['ESTABLISHED', 'ESTABLISHED'], ['ESTABLISHED', 'ESTABLISHED']],
  ['synAckSent', synAckSent, ['SYN_RECEIVED', 'CLOSED'], ['SYN_RECEIVED', 'SYN_SENT']],

  ['synAcked', synAcked, ['SYN_SENT', 'SYN_RECEIVED'], ['ESTABLISHED', 'ESTABLISHED']],
  ['synAcked', synAcked, ['SYN_RECEIVED', 'SYN_SENT'], ['ESTABLISHED', 'ESTABLISHED']],
  ['synAcked', synAcked, ['ESTABLISHED', 'SYN_RECEIVED'], ['ESTABLISHED', 'ESTABLISHED']],
  ['synAcked', synAcked, ['LISTEN', 'CLOSED'], ['LISTEN', 'CLOSED']],
  ['synAcked', synAcked, ['CLOSE_WAIT', 'FIN_WAIT_1'], ['CLOSE_WAIT', 'FIN_WAIT_1']],

  // finAcked: `cell` acknowledged its peer's FIN.
  ['finAcked', finAcked, ['ESTABLISHED', 'FIN_WAIT_1'], ['CLOSE_WAIT', 'FIN_WAIT_2']],
  ['finAcked', finAcked, ['SYN_RECEIVED', 'FIN_WAIT_1'], ['CLOSE_WAIT', 'FIN_WAIT_2']],
  ['finAcked', finAcked, ['SYN_SENT', 'FIN_WAIT_1'], ['CLOSE_WAIT', 'FIN_WAIT_2']],
  ['finAcked', finAcked, ['FIN_WAIT_1', 'FIN_WAIT_1'], ['CLOSING', 'FIN_WAIT_2']],
  ['finAcked', finAcked, ['FIN_WAIT_2', 'LAST_ACK'], ['TIME_WAIT', 'CLOSED']],
  ['finAcked', finAcked, ['TIME_WAIT', 'CLOSING'], ['TIME_WAIT', 'TIME_WAIT']],
  ['finAcked', finAcked, ['CLOSE_WAIT', 'ESTABLISHED'], ['CLOSE_WAIT', 'ESTABLISHED']],
  ['finAcked', finAcked, ['LAST_ACK', 'FIN_WAIT_2'], ['LAST_ACK', 'FIN_WAIT_2']],
  ['finAcked', finAcked, ['CLOSED', 'CLOSED'], ['CLOSED', 'CLOSED']],

  ['finSent', finSent, ['ESTABLISHED', 'ESTABLISHED'], ['FIN_WAIT_1', 'ESTABLISHED']],
  ['finSent', finSent, ['SYN_RECEIVED', 'SYN_SENT'], ['FIN_WAIT_1', 'SYN_SENT']],
  ['finSent', finSent, ['CLOSE_WAIT', 'FIN_WAIT_2'], ['LAST_ACK', 'FIN_WAIT_2']],
  ['finSent', finSent, ['CLOSED', 'CLOSED'], ['CLOSED', 'CLOSED']],
  ['finSent', finSent, ['TIME_WAIT', 'CLOSED'], ['TIME_WAIT', 'CLOSED']],
  ['finSent', finSent, ['LAST_ACK', 'FIN_WAIT_2'], ['LAST_ACK', 'FIN_WAIT_2']],
  ['finSent', finSent, ['CLOSING', 'CLOSING'], ['CLOSING', 'CLOSING']],
  ['finSent', finSent, ['FIN_WAIT_1', 'ESTABLISHED'], ['FIN_WAIT_1', 'ESTABLISHED']],
  ['finSent', finSent, ['FIN_WAIT_2', 'CLOSE_WAIT'], ['FIN_WAIT_1', 'CLOSE_WAIT']],

  ['reset', reset, ['ESTABLISHED', 'FIN_WAIT_2'], ['CLOSED', 'CLOSED']],
];

const code = (s: TcpState): number => TCP_STATES.indexOf(s);
const name = (n: number | undefined): string => TCP_STATES[n ?? -1] ?? `?${n}`;

describe('tcp state rules', () => {
  it('name the states RFC 9293 lists, CLOSED first (a zeroed store is two closed sides)', () => {
    expect(TCP_STATES).toEqual(['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2',
      'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK']);
  });

  it('every rule is in the table', () => {
    expect(new Set(ROWS.map((r) => r[1]))).toEqual(new Set(Object.values(RULES)));
  });

  // Connection 1 of a two-connection store, applied from either side: cells 2/3, the other
  // connection's cells 0/1 hold LISTEN (a value no rule writes there) and must stay so.
  it.each(ROWS.flatMap(([n, rule, before, after]) => [0, 1].map((side) => [`${n} ${before.join('/')} from side ${side}`, rule, before, after, side] as const)))(
    '%s', (_label, rule, before, after, side) => {
      const states = Uint8Array.of(code('LISTEN'), code('LISTEN'), 0, 0);
      const cell = 2 + side;
      states[cell] = code(before[0]);
      states[cell ^ 1] = code(before[1]);
      rule(states, cell);
      expect([name(states[cell]), name(states[cell ^ 1])]).toEqual(after);
      expect([name(states[0]), name(states[1])]).toEqual(['LISTEN', 'LISTEN']);
    });
});
