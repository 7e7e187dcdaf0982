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

function pushAll(to: number[], from: readonly number[]): void {
  for (const n of from) to.push(n);
}

/**
 * SPEC 4, decided from the packets in this order: refused, rst-after-close, abort, half-close,
 * graceful, stuck, open. `captureEnd` is the last record's time (or a pcapng statistics end time).
 * (One verdict object, filled in by the rule that applies: this runs for every connection.)
 */
export function classify(c: Connection, captureEnd: Instant): Verdict {
  const { client, server } = c.facts;
  const resetBy = who(client.rstNos.length > 0, server.rstNos.length > 0);
  const firstFin = firstFinSide(c);
  const trailingBytes = firstFin ? c.facts[otherSide(firstFin)].trailingBytes : 0;
  const evidence: number[] = [];
  for (const n of [client.finNo, client.finAckNo, server.finNo, server.finAckNo]) if (n !== undefined) evidence.push(n);
  const v: Verdict = { class: 'open', detail: null, closer: null, resetBy, trailingBytes, stuckFor: null, evidence, lastAckSeen: false };
  decide(c, v, firstFin, captureEnd);
  sortedUnique(evidence);
  return v;
}

/** The rules, in SPEC 4's order: each fills in `v` (class 'open' when none applies). */
function decide(c: Connection, v: Verdict, firstFin: Side | undefined, captureEnd: Instant): void {
  const { client, server } = c.facts;
  if (c.refusedNo !== undefined) {
    v.class = 'refused';
    v.closer = 'server';
    v.trailingBytes = 0;
    v.evidence.push(client.synNo ?? c.firstPacket, c.refusedNo);
    return;
  }

  const closedThenReset = rstAfterOwnFin(c);
  if (closedThenReset) {
    const peer = c.facts[otherSide(closedThenReset)];
    const me = c.facts[closedThenReset];
    const dataAfter = peer.dataAfterPeerFin;
    v.class = 'rst-after-close';
    v.detail = dataAfter.length > 0 ? 'data-after-close' : 'other';
    v.closer = firstFin ?? closedThenReset;
    pushAll(v.evidence, dataAfter);
    pushAll(v.evidence, me.rstNos);
    return;
  }

  const resetter = firstRstSide(c);
  if (resetter) {
    const me = c.facts[resetter];
    const peer = c.facts[otherSide(resetter)];
    const rstNo = me.rstNos[0] ?? 0;
    const peerClosed = peer.finNo !== undefined && peer.finNo < rstNo;
    v.class = 'abort';
    v.detail = peerClosed ? 'peer-had-closed' : c.sawSyn && !c.sawHandshakeAck && client.bytes === 0 && server.bytes === 0 ? 'handshake' : 'established';
    v.closer = firstFin ?? resetter;
    if (!peerClosed) v.trailingBytes = 0;
    pushAll(v.evidence, client.rstNos);
    pushAll(v.evidence, server.rstNos);
    return;
  }

  if (firstFin) {
    const second = otherSide(firstFin);
    const first = c.facts[firstFin];
    const last = c.facts[second];
    const lastFinNo = last.finNo;
    const firstFinAckNo = first.finAckNo;
    v.closer = firstFin;
    if (lastFinNo !== undefined) {
      v.lastAckSeen = firstFinAckNo !== undefined && last.finAckNo !== undefined;
      if (v.trailingBytes > 0) {
        v.class = 'half-close';
        pushAll(v.evidence, last.trailingNos);
        return;
      }
      // SPEC 4: simultaneous when the second FIN does not acknowledge the first.
      const simultaneous = firstFinAckNo === undefined || firstFinAckNo > lastFinNo;
      const threeWay = firstFinAckNo === lastFinNo;
      v.class = 'graceful';
      v.detail = simultaneous ? 'simultaneous' : threeWay ? 'three-way' : 'four-way';
      if (simultaneous) v.closer = 'both';
      return;
    }
    const ackedAt = first.finAckTime;
    const since = ackedAt ?? first.finTime ?? captureEnd;
    v.class = 'stuck';
    v.detail = ackedAt !== undefined ? 'close-wait' : 'fin-wait-1';
    v.stuckFor = Math.max(0, Math.round(seconds(since, captureEnd) * 1e6) / 1e6);
  }
}
