import type { ConnectionView, SideView } from '../flow/view.js';
import type { Side } from '../tcp/states.js';
import type { Lang } from '../render/notes.js';
import type { TeardownClass, TeardownDetail, Verdict, Who } from './teardown.js';

/** Below this many seconds a FIN without an answer may just be a close still under way. */
export const STUCK_UNSURE_BELOW = 1;

/** What an explanation text may refer to: the sides and the packet numbers of the evidence. */
export interface ExplainFacts {
  closer: Side;
  other: Side;
  port: number;
  fin?: number;
  finAck?: number;
  peerFin?: number;
  peerFinAck?: number;
  rst?: number;
  data: readonly number[];
  bytes: number;
  stuckFor: number;
  lastAckSeen: boolean;
}

/** The verdicts docs/contract.md, "Classes" allows: class/detail ('-' where a class has no detail), checked against the types. */
export const VERDICT_KEYS = [
  'refused/-', 'rst-after-close/data-after-close', 'rst-after-close/other',
  'abort/established', 'abort/peer-had-closed', 'abort/handshake', 'half-close/-',
  'graceful/three-way', 'graceful/four-way', 'graceful/simultaneous',
  'stuck/close-wait', 'stuck/fin-wait-1', 'open/-',
] as const satisfies ReadonlyArray<`${TeardownClass}/${TeardownDetail | '-'}`>;
export type VerdictKey = (typeof VERDICT_KEYS)[number];

/** Each verdict key's index in VERDICT_KEYS, by class and then detail ('-' for none). */
const KEY_NOS = new Map<string, Map<string, number>>();
for (const [no, key] of VERDICT_KEYS.entries()) {
  const [cls = '', detail = ''] = key.split('/');
  const byDetail = KEY_NOS.get(cls) ?? new Map<string, number>();
  byDetail.set(detail, no);
  KEY_NOS.set(cls, byDetail);
}

/** The index of a verdict's key in VERDICT_KEYS, found without building the key's string (classify keeps it as Verdict.keyNo). */
export function verdictKeyNo(cls: TeardownClass, detail: TeardownDetail | null): number {
  const no = KEY_NOS.get(cls)?.get(detail ?? '-');
  if (no === undefined) throw new Error(`no verdict key ${cls}/${detail ?? '-'}`);
  return no;
}

const WHO: readonly Who[] = ['client', 'server', 'both', null];

/** A number for the verdict's names (class, detail, closer, reset by): what renderers cache their encoded names by. */
export const verdictNamesNo = (v: Verdict): number => v.keyNo * 16 + WHO.indexOf(v.closer) * 4 + WHO.indexOf(v.resetBy);

type Text = (f: ExplainFacts) => string;

const n = (no: number | undefined): string => (no === undefined ? '#?' : `#${no}`);
const list = (nos: readonly number[]): string => nos.map((x) => `#${x}`).join(', ');
const zs = (s: Side): string => (s === 'server' ? '服务器' : '客户端');
const secs = (s: number): string => `${s.toFixed(s < 10 ? 3 : 1)} s`;

/** How the texts word a packet number, a list of them and a duration (explanation-bytes.ts looks for these). */
export const factWords = { packet: n, packets: list, seconds: secs } as const;

const EN: Record<VerdictKey, Text> = {
  'refused/-': (f) => `The client's connect() was refused: the server's kernel answered the SYN with RST (${n(f.rst)}) because no socket was listening on port ${f.port}. connect() fails with ECONNREFUSED.`,
  'rst-after-close/data-after-close': (f) => `The ${f.closer} called close() (FIN ${n(f.fin)}); the ${f.other}'s ${f.bytes}-byte reply (${list(f.data)}) reached a closed socket and the ${f.closer}'s kernel answered RST (${n(f.rst)}). Use shutdown(SHUT_WR) to keep receiving.`,
  'rst-after-close/other': (f) => `The ${f.closer} sent FIN (${n(f.fin)}) and later RST (${n(f.rst)}) with no data arriving in between: it closed with SO_LINGER 0 after shutdown(), or its kernel gave up on the connection (e.g. tcp_fin_timeout, tcp_orphan_retries).`,
  'abort/established': (f) => `The ${f.closer} aborted the open connection with RST (${n(f.rst)}) instead of a FIN: close() with unread received data and SO_LINGER 0 look the same on the wire, and so does a killed process. The ${f.other}'s next recv() or send() fails with ECONNRESET.`,
  'abort/peer-had-closed': (f) => `The ${f.closer} closed first (FIN ${n(f.fin)}); the ${f.other} then aborted with RST (${n(f.rst)}) instead of closing with a FIN: close() with unread received data or SO_LINGER 0.`,
  'abort/handshake': (f) => `The ${f.closer} reset the connection (${n(f.rst)}) before the handshake completed: the connection attempt was abandoned (a connect() timeout, a closed half-open socket, or a port scan).`,
  'half-close/-': (f) => `The ${f.closer} called shutdown(SHUT_WR) (FIN ${n(f.fin)}) and kept reading: the ${f.other} sent ${f.bytes} more bytes (${list(f.data)}) after that FIN arrived, then closed its side (FIN ${n(f.peerFin)}).${f.lastAckSeen ? ' Both directions closed cleanly.' : ' The last ACK was not captured.'}`,
  'graceful/three-way': (f) => `The ${f.closer} closed first (FIN ${n(f.fin)}); the ${f.other}'s FIN (${n(f.peerFin)}) carried the ACK of it${f.lastAckSeen ? `, and the ${f.closer}'s ACK (${n(f.peerFinAck)}) ended the connection` : '; the last ACK was not captured'}: a three-way close, both sides called close() or shutdown().`,
  'graceful/four-way': (f) => `The ${f.closer} closed first (FIN ${n(f.fin)}, ACK ${n(f.finAck)}); the ${f.other} closed later (FIN ${n(f.peerFin)}${f.lastAckSeen ? `, ACK ${n(f.peerFinAck)}` : ', its ACK not captured'}): the textbook four-way close.`,
  'graceful/simultaneous': (f) => `Both sides closed at the same time: each FIN (${n(f.fin)}, ${n(f.peerFin)}) was sent before the other arrived, so both went through CLOSING to TIME_WAIT.`,
  'stuck/close-wait': (f) => `The ${f.closer} closed (FIN ${n(f.fin)}, ACK ${n(f.finAck)}), but the ${f.other} never closed its socket: it sat in CLOSE_WAIT, and the ${f.closer} in FIN_WAIT_2, for ${secs(f.stuckFor)} until the capture ended. The ${f.other}'s application has not called close() after recv() returned 0.`,
  'stuck/fin-wait-1': (f) => `The ${f.closer} sent FIN (${n(f.fin)}) but no ACK of it was captured: it sat in FIN_WAIT_1 for ${secs(f.stuckFor)} until the capture ended. The ${f.other} may be gone or unreachable, or the capture missed its packets.`,
  'open/-': () => `The connection was still open when the capture ended: neither side sent FIN or RST.`,
};

const ZH: Record<VerdictKey, Text> = {
  'refused/-': (f) => `客户端的 connect() 被拒绝：端口 ${f.port} 上没有套接字在监听，服务器内核用 RST（${n(f.rst)}）回应 SYN。connect() 返回 ECONNREFUSED。`,
  'rst-after-close/data-after-close': (f) => `${zs(f.closer)}调用了 close()（FIN ${n(f.fin)}）；${zs(f.other)}的 ${f.bytes} 字节回复（${list(f.data)}）到达了已关闭的套接字，${zs(f.closer)}内核回应 RST（${n(f.rst)}）。要继续接收数据，请用 shutdown(SHUT_WR)。`,
  'rst-after-close/other': (f) => `${zs(f.closer)}先发送 FIN（${n(f.fin)}），之后在没有收到数据的情况下又发送 RST（${n(f.rst)}）：shutdown() 之后以 SO_LINGER 0 关闭，或内核放弃了该连接（如 tcp_fin_timeout、tcp_orphan_retries）。`,
  'abort/established': (f) => `${zs(f.closer)}用 RST（${n(f.rst)}）而不是 FIN 中止了连接：接收缓冲区有未读数据时 close()、SO_LINGER 0 以及进程被杀，在线路上看起来都一样。${zs(f.other)}下一次 recv() 或 send() 返回 ECONNRESET。`,
  'abort/peer-had-closed': (f) => `${zs(f.closer)}先关闭（FIN ${n(f.fin)}）；${zs(f.other)}随后用 RST（${n(f.rst)}）中止连接，而不是发送 FIN：有未读数据时 close() 或 SO_LINGER 0。`,
  'abort/handshake': (f) => `${zs(f.closer)}在三次握手完成之前重置了连接（${n(f.rst)}）：连接尝试被放弃（connect() 超时、半开套接字被关闭或端口扫描）。`,
  'half-close/-': (f) => `${zs(f.closer)}调用 shutdown(SHUT_WR)（FIN ${n(f.fin)}）后继续读取：${zs(f.other)}在该 FIN 到达后又发送了 ${f.bytes} 字节（${list(f.data)}），然后关闭自己一方（FIN ${n(f.peerFin)}）。${f.lastAckSeen ? '两个方向都正常关闭。' : '最后的 ACK 没有被捕获。'}`,
  'graceful/three-way': (f) => `${zs(f.closer)}先关闭（FIN ${n(f.fin)}）；${zs(f.other)}的 FIN（${n(f.peerFin)}）同时确认了它${f.lastAckSeen ? `，${zs(f.closer)}的 ACK（${n(f.peerFinAck)}）结束了连接` : '；最后的 ACK 没有被捕获'}：三次挥手，双方都调用了 close() 或 shutdown()。`,
  'graceful/four-way': (f) => `${zs(f.closer)}先关闭（FIN ${n(f.fin)}，ACK ${n(f.finAck)}）；${zs(f.other)}随后关闭（FIN ${n(f.peerFin)}${f.lastAckSeen ? `，ACK ${n(f.peerFinAck)}` : '，其 ACK 没有被捕获'}）：教科书式的四次挥手。`,
  'graceful/simultaneous': (f) => `双方同时关闭：两个 FIN（${n(f.fin)}、${n(f.peerFin)}）都在对方的 FIN 到达之前发出，双方都经过 CLOSING 进入 TIME_WAIT。`,
  'stuck/close-wait': (f) => `${zs(f.closer)}已关闭（FIN ${n(f.fin)}，ACK ${n(f.finAck)}），但${zs(f.other)}一直没有关闭套接字：它停在 CLOSE_WAIT，${zs(f.closer)}停在 FIN_WAIT_2，直到抓包结束共 ${secs(f.stuckFor)}。${zs(f.other)}的应用在 recv() 返回 0 之后没有调用 close()。`,
  'stuck/fin-wait-1': (f) => `${zs(f.closer)}发送了 FIN（${n(f.fin)}），但没有抓到对它的 ACK：它停在 FIN_WAIT_1 共 ${secs(f.stuckFor)}，直到抓包结束。对方可能已不存在或不可达，或抓包漏掉了它的分组。`,
  'open/-': () => `抓包结束时连接仍然打开：双方都没有发送 FIN 或 RST。`,
};

const UNSURE: Record<Lang, (s: number) => string> = {
  en: (s) => ` The capture ended only ${secs(s)} later: too soon to tell a stuck socket from a close still under way.`,
  zh: (s) => `抓包在 ${secs(s)} 后就结束了：时间太短，无法区分卡住的套接字和仍在进行的关闭。`,
};

/** The facts an explanation names, from the connection and its verdict, written into `f`. */
export function explainFacts(c: ConnectionView, v: Verdict, f: ExplainFacts = newFacts()): ExplainFacts {
  const me = v.closer === 'server' ? c.server : c.client;
  const peer = me.peer;
  const dataAfterClose = v.class === 'rst-after-close';
  f.closer = me.name;
  f.other = peer.name;
  f.port = c.server.port;
  f.fin = me.finNo;
  f.finAck = me.finAckNo;
  f.peerFin = peer.finNo;
  f.peerFinAck = peer.finAckNo;
  f.rst = v.class === 'refused' ? c.refusedNo : v.resetBy === null ? undefined : v.class === 'abort' ? firstRstOfBoth(c) : rstAfter(me);
  // A new array: emptying a reused one (length = 0) was a runtime call each time.
  f.data = [...(dataAfterClose ? peer.dataAfterPeerFin : peer.trailingNos)];
  f.bytes = dataAfterClose ? peer.bytesAfterPeerFin : v.trailingBytes;
  f.stuckFor = v.stuckFor ?? 0;
  f.lastAckSeen = v.lastAckSeen;
  return f;
}

/** Facts to fill in with explainFacts (one reused object saves one per connection). */
export function newFacts(): ExplainFacts & { data: number[] } {
  return { closer: 'client', other: 'server', port: 0, data: [], bytes: 0, stuckFor: 0, lastAckSeen: false };
}

/** The smallest RST number of either side (Infinity when neither sent one: the abort rule says one did). */
const firstRstOfBoth = (c: ConnectionView): number => Math.min(...c.client.rstNos, ...c.server.rstNos);

/** The side's first RST after its own FIN (after packet 0 when it sent none). */
function rstAfter(side: SideView): number | undefined {
  const after = side.finNo ?? 0;
  return side.rstNos.find((rst) => rst > after);
}

/** One facts object for the explanations written one after another (explain's default). */
const shared = newFacts();

/** A stuck close seen for less than STUCK_UNSURE_BELOW: its text ends with the UNSURE sentence. */
export const stuckUnsure = (v: Verdict): boolean => v.class === 'stuck' && (v.stuckFor ?? 0) < STUCK_UNSURE_BELOW;

/** The catalogue's text of a verdict for these facts, with the UNSURE sentence when `unsure`. */
export function explanationText(key: VerdictKey, f: ExplainFacts, lang: Lang, unsure: boolean): string {
  const text = (lang === 'zh' ? ZH : EN)[key](f);
  return unsure ? text + UNSURE[lang](f.stuckFor) : text;
}

/**
 * One or two plain sentences in socket-API terms (docs/contract.md, "Explanations"), from the catalogue. The facts are read
 * into one shared object: the text is all that is kept.
 */
export function explain(c: ConnectionView, v: Verdict, lang: Lang): string {
  const key = VERDICT_KEYS[v.keyNo] as VerdictKey;
  return explanationText(key, explainFacts(c, v, shared), lang, stuckUnsure(v));
}
