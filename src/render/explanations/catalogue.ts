/**
 * The catalogue of explanations: one or two plain sentences in socket-API terms for each verdict
 * (docs/contract.md, "Explanations"), in each language, written once as parts (parts.ts) and
 * rendered by the sinks (string.ts: a string; bytes.ts: UTF-8 or a JSON string into a ByteLines).
 */
import type { Lang } from '../notes.js';
import type { VerdictKey } from '../../analysis/verdict-keys.js';
import { VERDICT_KEYS } from '../../analysis/verdict-keys.js';
import type { Side } from '../../tcp/states.js';
import type { Parts, Template } from './parts.js';
import { f, ifLastAck, resolve, t } from './parts.js';

const EN = {
  'refused/-': t`The client's connect() was refused: the server's kernel answered the SYN with RST (${f.rst}) because no socket was listening on port ${f.port}. connect() fails with ECONNREFUSED.`,
  'unanswered/-': t`The client's SYN was never answered: no SYN-ACK and no RST came back. connect() retransmits the SYN and then fails with ETIMEDOUT; a firewall that drops SYNs, a host that is down and a wrong address look the same.`,
  'rst-after-close/data-after-close': t`The ${f.closer} called close() (FIN ${f.fin}); the ${f.other}'s ${f.bytes}-byte reply (${f.data}) reached a closed socket and the ${f.closer}'s kernel answered RST (${f.rst}). Use shutdown(SHUT_WR) to keep receiving.`,
  'rst-after-close/other': t`The ${f.closer} sent FIN (${f.fin}) and later RST (${f.rst}) with no data arriving in between: it closed with SO_LINGER 0 after shutdown(), or its kernel gave up on the connection (e.g. tcp_fin_timeout, tcp_orphan_retries).`,
  'abort/established': t`The open connection was aborted with a RST from the ${f.closer} (${f.rst}) instead of a FIN. Unless a cause below says otherwise, three look the same on the wire: close() with unread received data, close() with SO_LINGER 0, and a process killed with unread data. On the ${f.closer}'s host, \`nstat -az TcpExtTCPAbortOnClose\` counts the first and \`TcpExtTCPAbortOnData\` the second. The ${f.other}'s next recv() or send() fails with ECONNRESET.`,
  'abort/peer-had-closed': t`The ${f.closer} closed first (FIN ${f.fin}); the ${f.other} then aborted with RST (${f.rst}) instead of closing with a FIN: close() with unread received data or SO_LINGER 0.`,
  'abort/handshake': t`The ${f.closer} reset the connection (${f.rst}) before the handshake completed: the connection attempt was abandoned (a connect() timeout, a closed half-open socket, or a port scan).`,
  'half-close/-': t`The ${f.closer} called shutdown(SHUT_WR) (FIN ${f.fin}) and kept reading: the ${f.other} sent ${f.bytes} more bytes (${f.data}) after that FIN arrived, then closed its side (FIN ${f.peerFin}).${ifLastAck(' Both directions closed cleanly.', ' The last ACK was not captured.')}`,
  'graceful/three-way': t`The ${f.closer} closed first (FIN ${f.fin}); the ${f.other}'s FIN (${f.peerFin}) carried the ACK of it${ifLastAck(t`, and the ${f.closer}'s ACK (${f.peerFinAck}) ended the connection`, '; the last ACK was not captured')}: a three-way close, both sides called close() or shutdown().`,
  'graceful/four-way': t`The ${f.closer} closed first (FIN ${f.fin}, ACK ${f.finAck}); the ${f.other} closed later (FIN ${f.peerFin}${ifLastAck(t`, ACK ${f.peerFinAck}`, ', its ACK not captured')}): the textbook four-way close.`,
  'graceful/simultaneous': t`Both sides closed at the same time: each FIN (${f.fin}, ${f.peerFin}) was sent before the other arrived, so both went through CLOSING to TIME_WAIT.`,
  'stuck/close-wait': t`The ${f.closer} closed (FIN ${f.fin}, ACK ${f.finAck}), but the ${f.other} never closed its socket: it sat in CLOSE_WAIT, and the ${f.closer} in FIN_WAIT_2, for ${f.stuckFor} until the capture ended. The ${f.other}'s application has not called close() after recv() returned 0.`,
  'stuck/fin-wait-1': t`The ${f.closer} sent FIN (${f.fin}) but no ACK of it was captured: it sat in FIN_WAIT_1 for ${f.stuckFor} until the capture ended. The ${f.other} may be gone or unreachable, or the capture missed its packets.`,
  'open/-': t`The connection was still open when the capture ended: neither side sent FIN or RST.`,
} satisfies Record<VerdictKey, Parts>;

const ZH = {
  'refused/-': t`客户端的 connect() 被拒绝：端口 ${f.port} 上没有套接字在监听，服务器内核用 RST（${f.rst}）回应 SYN。connect() 返回 ECONNREFUSED。`,
  'unanswered/-': t`客户端的 SYN 没有得到任何回应：既没有 SYN-ACK 也没有 RST。connect() 会重传 SYN，最后返回 ETIMEDOUT；防火墙丢弃 SYN、主机宕机和地址错误看起来都一样。`,
  'rst-after-close/data-after-close': t`${f.closer}调用了 close()（FIN ${f.fin}）；${f.other}的 ${f.bytes} 字节回复（${f.data}）到达了已关闭的套接字，${f.closer}内核回应 RST（${f.rst}）。要继续接收数据，请用 shutdown(SHUT_WR)。`,
  'rst-after-close/other': t`${f.closer}先发送 FIN（${f.fin}），之后在没有收到数据的情况下又发送 RST（${f.rst}）：shutdown() 之后以 SO_LINGER 0 关闭，或内核放弃了该连接（如 tcp_fin_timeout、tcp_orphan_retries）。`,
  'abort/established': t`连接被来自${f.closer}的 RST（${f.rst}）而不是 FIN 中止。除非下面的原因另有说明，三种情况在线路上看起来一样：接收缓冲区有未读数据时 close()、设置 SO_LINGER 0 后 close()、以及带着未读数据的进程被杀。在${f.closer}主机上，\`nstat -az TcpExtTCPAbortOnClose\` 统计第一种，\`TcpExtTCPAbortOnData\` 统计第二种。${f.other}下一次 recv() 或 send() 返回 ECONNRESET。`,
  'abort/peer-had-closed': t`${f.closer}先关闭（FIN ${f.fin}）；${f.other}随后用 RST（${f.rst}）中止连接，而不是发送 FIN：有未读数据时 close() 或 SO_LINGER 0。`,
  'abort/handshake': t`${f.closer}在三次握手完成之前重置了连接（${f.rst}）：连接尝试被放弃（connect() 超时、半开套接字被关闭或端口扫描）。`,
  'half-close/-': t`${f.closer}调用 shutdown(SHUT_WR)（FIN ${f.fin}）后继续读取：${f.other}在该 FIN 到达后又发送了 ${f.bytes} 字节（${f.data}），然后关闭自己一方（FIN ${f.peerFin}）。${ifLastAck('两个方向都正常关闭。', '最后的 ACK 没有被捕获。')}`,
  'graceful/three-way': t`${f.closer}先关闭（FIN ${f.fin}）；${f.other}的 FIN（${f.peerFin}）同时确认了它${ifLastAck(t`，${f.closer}的 ACK（${f.peerFinAck}）结束了连接`, '；最后的 ACK 没有被捕获')}：三次挥手，双方都调用了 close() 或 shutdown()。`,
  'graceful/four-way': t`${f.closer}先关闭（FIN ${f.fin}，ACK ${f.finAck}）；${f.other}随后关闭（FIN ${f.peerFin}${ifLastAck(t`，ACK ${f.peerFinAck}`, '，其 ACK 没有被捕获')}）：教科书式的四次挥手。`,
  'graceful/simultaneous': t`双方同时关闭：两个 FIN（${f.fin}、${f.peerFin}）都在对方的 FIN 到达之前发出，双方都经过 CLOSING 进入 TIME_WAIT。`,
  'stuck/close-wait': t`${f.closer}已关闭（FIN ${f.fin}，ACK ${f.finAck}），但${f.other}一直没有关闭套接字：它停在 CLOSE_WAIT，${f.closer}停在 FIN_WAIT_2，直到抓包结束共 ${f.stuckFor}。${f.other}的应用在 recv() 返回 0 之后没有调用 close()。`,
  'stuck/fin-wait-1': t`${f.closer}发送了 FIN（${f.fin}），但没有抓到对它的 ACK：它停在 FIN_WAIT_1 共 ${f.stuckFor}，直到抓包结束。对方可能已不存在或不可达，或抓包漏掉了它的分组。`,
  'open/-': t`抓包结束时连接仍然打开：双方都没有发送 FIN 或 RST。`,
} satisfies Record<VerdictKey, Parts>;

/** The sentence a stuck close seen for less than STUCK_UNSURE_BELOW seconds ends with (stuckUnsure, analysis/explain-facts.ts). */
const UNSURE: Record<Lang, Parts> = {
  en: t` The capture ended only ${f.stuckFor} later: too soon to tell a stuck socket from a close still under way.`,
  zh: t`抓包在 ${f.stuckFor} 后就结束了：时间太短，无法区分卡住的套接字和仍在进行的关闭。`,
};

const SIDE_NAMES: Record<Lang, Record<Side, string>> = {
  en: { client: 'client', server: 'server' },
  zh: { client: '客户端', server: '服务器' },
};

const TEXTS: Record<Lang, Record<VerdictKey, Parts>> = { en: EN, zh: ZH };

/**
 * A number for what settles a text's words (its verdict key, language, closing side, lastAckSeen and
 * the UNSURE sentence): what the templates, and the sinks' encoded forms of them, are cached by.
 */
export function templateNo(keyNo: number, lang: Lang, closer: Side, lastAckSeen: boolean, unsure: boolean): number {
  return (((keyNo * 2 + (lang === 'zh' ? 1 : 0)) * 2 + (closer === 'server' ? 1 : 0)) * 2 + (lastAckSeen ? 1 : 0)) * 2 + (unsure ? 1 : 0);
}

/** Templates by templateNo, resolved on first use. */
const templates: Array<Template | undefined> = [];

/** The text of verdict `keyNo` (VERDICT_KEYS) with its conditions settled, the UNSURE sentence appended when `unsure`. */
export function explanationTemplate(keyNo: number, lang: Lang, closer: Side, lastAckSeen: boolean, unsure: boolean): Template {
  return (templates[templateNo(keyNo, lang, closer, lastAckSeen, unsure)] ??= resolve(
    unsure ? [...textOf(keyNo, lang), ...UNSURE[lang]] : textOf(keyNo, lang),
    { closer, lastAckSeen, sideNames: SIDE_NAMES[lang] },
  ));
}

function textOf(keyNo: number, lang: Lang): Parts {
  const key = VERDICT_KEYS[keyNo];
  if (key === undefined) throw new Error(`no verdict key number ${keyNo}`);
  return TEXTS[lang][key];
}
