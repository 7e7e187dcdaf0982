/**
 * Every way the decoder refuses a record, by code: the layers' own lists (each message sits beside
 * the check that raises it), joined so a code leads to its reason and message.
 */
import { ETHERTYPE_SKIPS } from './ethertype.js';
import { IP_SKIPS } from './ip.js';
import { LINK_SKIPS } from './link.js';
import type { SkipInfo, SkipReason } from './segment.js';
import { TCP_SKIPS } from './tcp.js';
import { TUNNEL_SKIPS } from './tunnel.js';
import { WLAN_SKIPS } from './wlan.js';

export const SKIPS = { ...LINK_SKIPS, ...ETHERTYPE_SKIPS, ...WLAN_SKIPS, ...IP_SKIPS, ...TUNNEL_SKIPS, ...TCP_SKIPS } satisfies Record<string, SkipInfo>;

export type SkipCode = keyof typeof SKIPS;

export function skipReason(code: SkipCode): SkipReason {
  return SKIPS[code].reason;
}

/** The message for a skip, with the numbers the layer kept (Frame.a and .b). */
export function skipDetail(code: SkipCode, a: number, b: number): string {
  const detail: SkipInfo['detail'] = SKIPS[code].detail;
  return typeof detail === 'string' ? detail : detail(a, b);
}
