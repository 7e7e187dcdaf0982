/**
 * Where a connection ended on the wire, as the class rules (teardown.ts) and the causes
 * (causes.ts) both read it: the point after which a RST ends nothing, and the RST that ended it.
 */
import type { ConnectionView, SideView } from '../flow/view.js';

/**
 * Where the connection was over on the wire: both FINs acknowledged (the later ACK's packet number),
 * else Infinity. A RST after it ends nothing (docs/contract.md, "Teardown classes"): one reaching
 * TIME_WAIT is a cause (time-wait-assassination), not the ending.
 */
export function overAt(c: ConnectionView): number {
  const a = c.client.finAckNo;
  const b = c.server.finAckNo;
  return a !== undefined && b !== undefined ? Math.max(a, b) : Infinity;
}

/** A side's first RST before the connection was over (rstNos holds no ignored RST: track.ts takes them off). */
export function firstRst(side: SideView, over: number): number | undefined {
  const first = side.rstNosFirst;
  return first !== undefined && first < over ? first : undefined;
}

/** Of the two sides, the one whose packet (`no`) came first; undefined when neither has one. */
export function earlier(client: SideView, clientNo: number | undefined, server: SideView, serverNo: number | undefined): SideView | undefined {
  if (clientNo === undefined) return serverNo === undefined ? undefined : server;
  return serverNo === undefined || clientNo < serverNo ? client : server;
}

/** The side whose RST ended the connection (the first before it was over), if one did. */
export const resetterOf = (c: ConnectionView, over: number): SideView | undefined =>
  earlier(c.client, firstRst(c.client, over), c.server, firstRst(c.server, over));
