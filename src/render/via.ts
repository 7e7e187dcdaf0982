/**
 * The words of a connection's tunnel (docs/contract.md, "Tunnels"): its JSON object, whose id is
 * named as the tunnel's standard names it, and the text heading's `inside VXLAN VNI 42 between
 * 10.0.0.5 and 10.0.0.6`, in each language (`--lang`): the tunnels' and ids' names stay as their
 * standards write them.
 */
import type { TunnelType, Via } from '../decode/segment.js';
import type { Lang } from './notes.js';

const NAMES = {
  'ip-in-ip': { text: 'IP-in-IP', id: 'id', idText: 'id' },
  'ipv6-in-ip': { text: 'IPv6-in-IP', id: 'id', idText: 'id' },
  'gre': { text: 'GRE', id: 'key', idText: 'key' },
  'erspan': { text: 'ERSPAN', id: 'session', idText: 'session' },
  'vxlan': { text: 'VXLAN', id: 'vni', idText: 'VNI' },
  'geneve': { text: 'Geneve', id: 'vni', idText: 'VNI' },
  'teredo': { text: 'Teredo', id: 'id', idText: 'id' },
  'gtp-u': { text: 'GTP-U', id: 'teid', idText: 'TEID' },
  'l2tp': { text: 'L2TP', id: 'tunnel', idText: 'tunnel' },
} as const satisfies Record<TunnelType, { text: string; id: string; idText: string }>;

/** `,"via":{...}`: the key and object the flow's JSON line carries when it came through a tunnel. */
export function viaJson(via: Via): string {
  const id = via.id === undefined ? '' : `,${JSON.stringify(NAMES[via.type].id)}:${via.id}`;
  return `,"via":{"type":${JSON.stringify(via.type)}${id},"outer":{"src":${JSON.stringify(via.outer.src)},"dst":${JSON.stringify(via.outer.dst)}}}`;
}

const INSIDE: Record<Lang, (tunnel: string, a: string, b: string) => string> = {
  en: (tunnel, a, b) => `inside ${tunnel} between ${a} and ${b}`,
  zh: (tunnel, a, b) => `经由 ${tunnel} 隧道（${a} 与 ${b} 之间）`,
};

/** `inside VXLAN VNI 42 between 10.0.0.5 and 10.0.0.6`; in Chinese `经由 VXLAN VNI 42 隧道（10.0.0.5 与 10.0.0.6 之间）`. */
export function viaText(via: Via, lang: Lang = 'en'): string {
  const n = NAMES[via.type];
  const id = via.id === undefined ? '' : ` ${n.idText} ${via.id}`;
  return INSIDE[lang](`${n.text}${id}`, via.outer.src, via.outer.dst);
}
