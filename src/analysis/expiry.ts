import type { Instant } from '../flow/connection.js';
import { secondsBetween } from '../flow/connection.js';
import { IDLE_LIMIT_S } from '../flow/reuse.js';
import type { ConnectionTable } from '../flow/table.js';
import type { ConnectionView } from '../flow/view.js';

/**
 * How long (capture time, seconds) a connection is kept after its last packet before it is
 * classified and released, so that memory follows the connections still open. One that ended
 * (a RST, or both FINs) is kept as long as Linux keeps TIME_WAIT (60 s), for the packets that may
 * still follow its end (retransmitted FINs, one RST per late segment); anything else an hour.
 * A packet after the release starts a new connection, as in Zeek.
 */
export const ENDED_LINGER_S = 60;

/** Whether the connection is due for release at `now`. */
function isDue(c: ConnectionView, now: Instant): boolean {
  // Whole seconds first: most connections are far from either bound.
  const idleSec = now.sec - c.endSec;
  if (idleSec < ENDED_LINGER_S - 1) return false;
  return secondsBetween(c.endTime, now) >= (c.ended ? ENDED_LINGER_S : IDLE_LIMIT_S);
}

/**
 * When connections are released: a sweep once per capture second (Analyzer) releases the ones due,
 * in id order, as scanning them all did. Each connection has a deadline in the table, a capture
 * second before which it cannot be due: its end plus ENDED_LINGER_S, or plus IDLE_LIMIT_S once it is
 * known not to have ended (nanoseconds are below 1e9, so `end + N s` is never reached a second
 * sooner). A sweep looks only at the connections whose deadline has come, and gives the ones not
 * due yet a new one; a packet moves a connection's deadline only when it must come sooner.
 */
export class Expiry {
  constructor(private readonly table: ConnectionTable) {}

  /**
   * After each packet of `c` (its end and whether it ended may have changed). The common case, a
   * deadline no later than ENDED_LINGER_S after this packet, is still a lower bound: nothing to do.
   */
  touch(c: ConnectionView): void {
    const at = this.table.deadline(c);
    const end = c.endSec;
    if (at <= end + ENDED_LINGER_S) return;
    // A new connection (no deadline yet), one that just ended, or one whose clock went back.
    const earliest = at === Infinity ? end + ENDED_LINGER_S : end + (c.ended ? ENDED_LINGER_S : IDLE_LIMIT_S);
    if (earliest < at) this.table.setDeadline(c, earliest);
  }

  /** Releases the connections due at `now` (memory follows open connections). */
  sweep(now: Instant): void {
    this.table.expire(now.sec, (c) => {
      if (isDue(c, now)) return now.sec;
      const end = c.endSec;
      // Packets since the deadline was set: look again a linger after the last one (which keeps
      // touch's common case), else at the bound that applies now.
      if (end + ENDED_LINGER_S > now.sec) return end + ENDED_LINGER_S;
      return Math.max(now.sec + 1, end + (c.ended ? ENDED_LINGER_S : IDLE_LIMIT_S));
    });
  }
}
