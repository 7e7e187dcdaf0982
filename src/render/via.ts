/**
 * The words of a connection's tunnel (docs/contract.md, "Tunnels"): its JSON object, whose id is
 * named as the tunnel's standard names it, and the text heading's `inside VXLAN VNI 42 between
 * 10.0.0.5 and 10.0.0.6`.
 */
import type { TunnelType, Via } from '../decode/segment.js';

const NAMES = {
  'ip-in-ip': { text: 'IP-in-IP', id: 'id', idText: 'id' },
  'ipv6-in-ip': { text: 'IPv6-in-IP', id: 'id', idText: 'id' },
  'gre': { text: 'GRE', id: 'key', idText: 'key' },
  'erspan': { text: 'ERSPAN', id: 'session', idText: 'session' },
  'vxlan': { text: 'VXLAN', id: 'vni', idText: 'VNI' },
  'geneve': { text: 'Geneve', id: 'vni', idText: 'VNI' },
  'teredo': { text: 'Teredo', id: 'id', idText: 'id' },
  'gtp-u': { text: 'GTP-U', id: 'teid', idText: 'TEID' },
} as const satisfies Record<TunnelType, { text: string; id: string; idText: string }>;

/** `,"via":{...}`: the key and object the flow's JSON line carries when it came through a tunnel. */
export function viaJson(via: Via): string {
  const id = via.id === undefined ? '' : `,${JSON.stringify(NAMES[via.type].id)}:${via.id}`;
  return `,"via":{"type":${JSON.stringify(via.type)}${id},"outer":{"src":${JSON.stringify(via.outer.src)},"dst":${JSON.stringify(via.outer.dst)}}}`;
}

/** `inside VXLAN VNI 42 between 10.0.0.5 and 10.0.0.6`. */
export function viaText(via: Via): string {
  const n = NAMES[via.type];
  const id = via.id === undefined ? '' : ` ${n.idText} ${via.id}`;
  return `inside ${n.text}${id} between ${via.outer.src} and ${via.outer.dst}`;
}
