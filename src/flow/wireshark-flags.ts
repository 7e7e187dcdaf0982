/**
 * Wireshark's TCP sequence-analysis results (packet-tcp.c, `TCP_A_*`) and the Info-column prefixes
 * they print. One bit a finding, as Wireshark keeps them in `tcp_acked.flags`.
 */
export const A_RETRANSMISSION = 0x0001;
export const A_LOST_PACKET = 0x0002;
export const A_ACK_LOST_PACKET = 0x0004;
export const A_KEEP_ALIVE = 0x0008;
export const A_DUPLICATE_ACK = 0x0010;
export const A_ZERO_WINDOW = 0x0020;
export const A_ZERO_WINDOW_PROBE = 0x0040;
export const A_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const A_KEEP_ALIVE_ACK = 0x0100;
export const A_OUT_OF_ORDER = 0x0200;
export const A_FAST_RETRANSMISSION = 0x0400;
export const A_WINDOW_UPDATE = 0x0800;
export const A_WINDOW_FULL = 0x1000;
export const A_REUSED_PORTS = 0x2000;
export const A_SPURIOUS_RETRANSMISSION = 0x4000;

/**
 * The order in which `tcp_print_sequence_number_analysis` reports the findings. Each report is
 * `col_prepend_fence_fstr`, so the one printed last ends up first in the Info column:
 * `[TCP ZeroWindow] [TCP ACKed unseen segment] 80 → 1000 ...`.
 */
const PRINT_ORDER: ReadonlyArray<readonly [number, string]> = [
  [A_REUSED_PORTS, 'TCP Port numbers reused'],
  [A_RETRANSMISSION, 'TCP Retransmission'],
  [A_FAST_RETRANSMISSION, 'TCP Fast Retransmission'],
  [A_SPURIOUS_RETRANSMISSION, 'TCP Spurious Retransmission'],
  [A_OUT_OF_ORDER, 'TCP Out-Of-Order'],
  [A_LOST_PACKET, 'TCP Previous segment not captured'],
  [A_ACK_LOST_PACKET, 'TCP ACKed unseen segment'],
  [A_WINDOW_UPDATE, 'TCP Window Update'],
  [A_WINDOW_FULL, 'TCP Window Full'],
  [A_KEEP_ALIVE, 'TCP Keep-Alive'],
  [A_KEEP_ALIVE_ACK, 'TCP Keep-Alive ACK'],
  [A_DUPLICATE_ACK, ''], // `[TCP Dup ACK <frame>#<n>] `, built below
  [A_ZERO_WINDOW_PROBE, 'TCP ZeroWindowProbe'],
  [A_ZERO_WINDOW, 'TCP ZeroWindow'],
  [A_ZERO_WINDOW_PROBE_ACK, 'TCP ZeroWindowProbeAck'],
];

/**
 * The analysis prefixes of the Info column, e.g. `[TCP Dup ACK 7#2] `, or '' when there is none.
 * `dupAckFrame`/`dupAckNum` are the frame of the original ACK and the duplicate's count.
 */
export function analysisPrefix(flags: number, dupAckFrame: number, dupAckNum: number): string {
  if (flags === 0) return '';
  let prefix = '';
  for (const [bit, text] of PRINT_ORDER) {
    if (!(flags & bit)) continue;
    if (bit === A_DUPLICATE_ACK) {
      // print_duplicate: only when the duplicate number is non-zero.
      if (dupAckNum !== 0) prefix = `[TCP Dup ACK ${dupAckFrame}#${dupAckNum}] ` + prefix;
    } else {
      prefix = `[${text}] ` + prefix;
    }
  }
  return prefix;
}
