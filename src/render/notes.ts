/**
 * The note catalogue: the words of every annotation the packet table can carry (flow/notes.ts
 * names them), with a severity that picks its colour and an English and a Chinese text
 * (docs/contract.md, "Packet table", "Colours", `--lang`). Like Wireshark's expert infos, but
 * written for a student reading a trace.
 */
import type { NoteId, NoteParams, NoteRef } from '../flow/notes.js';

/** Colour class of a note: FIN and its ACK red, data after a FIN yellow, RST inverse red (docs/contract.md, "Colours"). */
export type NoteTone = 'plain' | 'fin' | 'trailing' | 'rst';

export type Lang = 'en' | 'zh';

interface NoteInfo {
  tone: NoteTone;
  en: (p: NoteParams) => string;
  zh: (p: NoteParams) => string;
}

const zhSide = (s: NoteParams['side']): string => (s === 'server' ? '服务器' : '客户端');

export const NOTES = {
  'syn': { tone: 'plain', en: (p) => `${p.side} SYN`, zh: (p) => `${zhSide(p.side)} SYN` },
  'syn-retransmitted': { tone: 'plain', en: (p) => `${p.side} SYN again (retransmitted)`, zh: (p) => `${zhSide(p.side)} SYN 重传` },
  'syn-ack': { tone: 'plain', en: (p) => `${p.side} SYN-ACK`, zh: (p) => `${zhSide(p.side)} SYN-ACK` },
  'handshake-ack': { tone: 'plain', en: () => 'ACK of SYN-ACK: connection established', zh: () => 'SYN-ACK 的确认：连接建立' },
  'fin': { tone: 'fin', en: (p) => `${p.side} FIN`, zh: (p) => `${zhSide(p.side)} FIN` },
  'fin-retransmitted': { tone: 'fin', en: (p) => `${p.side} FIN again (retransmitted)`, zh: (p) => `${zhSide(p.side)} FIN 重传` },
  'fin-ack': { tone: 'fin', en: (p) => `ACK of ${p.side} FIN`, zh: (p) => `${zhSide(p.side)} FIN 的确认` },
  'trailing-data': {
    tone: 'trailing',
    en: (p) => `trailing data after ${p.side} FIN (${p.bytes} bytes)`,
    zh: (p) => `${zhSide(p.side)} FIN 之后的数据（${p.bytes} 字节）`,
  },
  'trailing-ack': { tone: 'trailing', en: () => 'ACK of trailing data', zh: () => '对 FIN 之后数据的确认' },
  'data-after-fin': {
    tone: 'trailing',
    en: (p) => `data sent after ${p.side} FIN, before it arrived (${p.bytes} bytes)`,
    zh: (p) => `${zhSide(p.side)} FIN 到达前发出的数据（${p.bytes} 字节）`,
  },
  'rst-refused': { tone: 'rst', en: () => 'RST: connection refused (no listener)', zh: () => 'RST：连接被拒绝（端口无监听）' },
  'rst-closed-socket': { tone: 'rst', en: () => 'RST: data reached a closed socket', zh: () => 'RST：数据到达已关闭的套接字' },
  'rst-after-fin': { tone: 'rst', en: (p) => `RST from ${p.side} after its FIN`, zh: (p) => `${zhSide(p.side)}发送 FIN 之后又发送 RST` },
  'rst-abort': { tone: 'rst', en: (p) => `RST: ${p.side} aborted the connection`, zh: (p) => `RST：${zhSide(p.side)}中止连接` },
  'fin-inferred': {
    tone: 'fin',
    en: (p) => `ACK of ${p.side} FIN not in the capture (inferred)`,
    zh: (p) => `确认了抓包中没有的${zhSide(p.side)} FIN（推断）`,
  },
  'rst-unacceptable': {
    tone: 'rst',
    en: (p) => `RST from ${p.side} with a sequence number the receiver cannot accept (RFC 5961)`,
    zh: (p) => `${zhSide(p.side)}的 RST 序号不可接受（RFC 5961）`,
  },
  'rst-unacknowledged-syn': {
    tone: 'rst',
    en: (p) => `RST from ${p.side} without the ACK of the SYN: a client in SYN-SENT drops it (RFC 9293 §3.10.7.3)`,
    zh: (p) => `${zhSide(p.side)}的 RST 未确认 SYN：处于 SYN-SENT 的客户端丢弃它（RFC 9293 §3.10.7.3）`,
  },
} as const satisfies Record<NoteId, NoteInfo>;

export function noteText(ref: NoteRef, lang: Lang): string {
  const info: NoteInfo = NOTES[ref.id];
  return info[lang](ref.params);
}

/** The strongest tone among a row's notes: RST over FIN over trailing data. */
export function rowTone(notes: NoteRef[]): NoteTone {
  let tone: NoteTone = 'plain';
  for (const n of notes) {
    const t = NOTES[n.id].tone;
    if (t === 'rst') return 'rst';
    if (t === 'fin' || (t === 'trailing' && tone === 'plain')) tone = t;
  }
  return tone;
}

export function notesText(notes: readonly NoteRef[], lang: Lang): string {
  return notes.map((n) => noteText(n, lang)).join(lang === 'zh' ? '；' : '; ');
}
