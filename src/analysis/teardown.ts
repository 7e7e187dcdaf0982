import type { Connection, Instant } from '../flow/connection.js';
import type { Side } from '../tcp/states.js';
import { otherSide } from '../tcp/states.js';

/** SPEC 4: every connection gets exactly one of these. */
export type TeardownClass = 'refused' | 'rst-after-close' | 'abort' | 'half-close' | 'graceful' | 'stuck' | 'open';

export const TEARDOWN_CLASSES: readonly TeardownClass[] = ['refused', 'rst-after-close', 'abort', 'half-close', 'graceful', 'stuck', 'open'];

export type TeardownDetail =
  | 'data-after-close' | 'other'
  | 'peer-had-closed' | 'established' | 'handshake'
  | 'four-way' | 'three-way' | 'simultaneous'
  | 'close-wait' | 'fin-wait-1';

export type Who = Side | 'both' | null;

/** The verdict without its explanation text (that comes from the catalogue in explain.ts). */
export interface Verdict {
  class: TeardownClass;
  detail: TeardownDetail | null;
  closer: Who;
  resetBy: Who;
  trailingBytes: number;
  stuckFor: number | null;
  evidence: number[];
  /** True when the last ACK of a graceful close was captured. */
  lastAckSeen: boolean;
}

const seconds = (from: Instant, to: Instant): number => to.sec - from.sec + (to.nsec - from.nsec) / 1e9;

function who(client: boolean, server: boolean): Who {
  return client && server ? 'both' : client ? 'client' : server ? 'server' : null;
}

/** The side whose FIN came first, if any. */
function firstFinSide(c: Connection): Side | undefined {
  const cf = c.facts.client.finNo;
  const sf = c.facts.server.finNo;
  if (cf === undefined) return sf === undefined ? undefined : 'server';
  return sf === undefined || cf < sf ? 'client' : 'server';
}

/** The side whose first RST came first, if any. */
function firstRstSide(c: Connection): Side | undefined {
  const cr = c.facts.client.rstNos[0];
  const sr = c.facts.server.rstNos[0];
  if (cr === undefined) return sr === undefined ? undefined : 'server';
  return sr === undefined || cr < sr ? 'client' : 'server';
}

/** A side that sent a RST after its own FIN (SPEC 4, rst-after-close). */
function rstAfterOwnFin(c: Connection): Side | undefined {
  for (const side of ['client', 'server'] as const) {
    const f = c.facts[side];
    if (f.finNo !== undefined && f.rstNos.some((r) => r > (f.finNo ?? Infinity))) return side;
  }
  return undefined;
}

/** The packet numbers in order, each once. */
function sortedUnique(nos: number[]): number[] {
  nos.sort((a, b) => a - b);
  let kept = 0;
  for (let i = 0; i < nos.length; i++) if (i === 0 || nos[i] !== nos[i - 1]) nos[kept++] = nos[i] as number;
  nos.length = kept;
  return nos;
}

/**
 * SPEC 4, decided from the packets in this order: refused, rst-after-close, abort, half-close,
 * graceful, stuck, open. `captureEnd` is the last record's time (or a pcapng statistics end time).
 */
export function classify(c: Connection, captureEnd: Instant): Verdict {
  const { client, server } = c.facts;
  const resetBy = who(client.rstNos.length > 0, server.rstNos.length > 0);
  const firstFin = firstFinSide(c);
  const trailingBytes = firstFin ? c.facts[otherSide(firstFin)].trailingBytes : 0;
  const evidence: number[] = [];
  for (const n of [client.finNo, client.finAckNo, server.finNo, server.finAckNo]) if (n !== undefined) evidence.push(n);
  const base = { resetBy, trailingBytes, stuckFor: null, lastAckSeen: false };
  const done = (v: Omit<Verdict, 'evidence'>, more: readonly number[] = []): Verdict => {
    evidence.push(...more);
    return { ...v, evidence: sortedUnique(evidence) };
  };

  if (c.refusedNo !== undefined) {
    return done({ ...base, class: 'refused', detail: null, closer: 'server', trailingBytes: 0 }, [client.synNo ?? c.firstPacket, c.refusedNo]);
  }

  const closedThenReset = rstAfterOwnFin(c);
  if (closedThenReset) {
    const peer = c.facts[otherSide(closedThenReset)];
    const me = c.facts[closedThenReset];
    const dataAfter = peer.dataAfterPeerFin.length > 0;
    return done(
      { ...base, class: 'rst-after-close', detail: dataAfter ? 'data-after-close' : 'other', closer: firstFin ?? closedThenReset },
      [...peer.dataAfterPeerFin, ...me.rstNos],
    );
  }

  const resetter = firstRstSide(c);
  if (resetter) {
    const me = c.facts[resetter];
    const peer = c.facts[otherSide(resetter)];
    const rstNo = me.rstNos[0] ?? 0;
    const peerClosed = peer.finNo !== undefined && peer.finNo < rstNo;
    const detail = peerClosed ? 'peer-had-closed' : c.sawSyn && !c.sawHandshakeAck && client.bytes === 0 && server.bytes === 0 ? 'handshake' : 'established';
    return done(
      { ...base, class: 'abort', detail, closer: firstFin ?? resetter, trailingBytes: peerClosed ? trailingBytes : 0 },
      [...client.rstNos, ...server.rstNos],
    );
  }

  if (firstFin) {
    const second = otherSide(firstFin);
    const first = c.facts[firstFin];
    const last = c.facts[second];
    if (last.finNo !== undefined) {
      const lastAckSeen = first.finAckNo !== undefined && last.finAckNo !== undefined;
      if (trailingBytes > 0) {
        return done({ ...base, class: 'half-close', detail: null, closer: firstFin, lastAckSeen }, last.trailingNos);
      }
      // SPEC 4: simultaneous when the second FIN does not acknowledge the first.
      const simultaneous = first.finAckNo === undefined || first.finAckNo > last.finNo;
      const threeWay = first.finAckNo === last.finNo;
      const detail = simultaneous ? 'simultaneous' : threeWay ? 'three-way' : 'four-way';
      return done({ ...base, class: 'graceful', detail, closer: simultaneous ? 'both' : firstFin, lastAckSeen });
    }
    const acked = first.finAckTime !== undefined;
    const since = first.finAckTime ?? first.finTime ?? captureEnd;
    return done({
      ...base, class: 'stuck', detail: acked ? 'close-wait' : 'fin-wait-1', closer: firstFin,
      stuckFor: Math.max(0, Math.round(seconds(since, captureEnd) * 1e6) / 1e6),
    });
  }

  return done({ ...base, class: 'open', detail: null, closer: null });
}
