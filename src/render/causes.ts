/**
 * The words of the causes (analysis/causes.ts; docs/causes.md): for each id, a one-line definition
 * and an explanation in socket-API and operations terms, in English and Chinese, with what to do
 * about it. Causes are rare (most connections have none), so their words are built as strings when
 * a cause is shown.
 */
import type { Cause, CauseId } from '../analysis/causes.js';
import type { Lang } from './notes.js';
import type { Who } from '../analysis/verdict-keys.js';
import { LABELS } from './labels.js';
import { sideName } from './names.js';

interface CauseWords {
  /** A few words: the cause's name (in English, its id). */
  name?: string;
  /** One line: what the id means. */
  definition: string;
  /** The explanation of this cause of this connection. */
  explain: (c: Cause, s: Words) => string;
}

/** Helpers the texts share: a side's name, packet numbers, a duration. */
interface Words {
  side: string;
  other: string;
  nos: string;
  first: string;
  last: string;
  seconds: string;
}

const EN: Record<CauseId, CauseWords> = {
  'connect-timeout': {
    definition: 'connect() timed out: SYNs went unanswered (or the SYN-ACK came after the client had given up).',
    explain: (_c, w) => `The client sent its SYN again and again (${w.nos}, over ${w.seconds}) and no SYN-ACK came back in time: connect() fails with ETIMEDOUT. Look for a firewall or security group dropping SYNs, a server that is down, or a wrong address; tcp_syn_retries sets how long connect() waits.`,
  },
  'listen-overflow': {
    definition: "The server's accept queue was full: it dropped or reset a connection whose handshake had completed.",
    explain: (_c, w) => `The server's kernel completed the handshake but could not queue the connection (${w.nos}): its listen() backlog was full because the application does not accept() fast enough. Raise the backlog (listen(), net.core.somaxconn) or accept faster; \`nstat -az TcpExtListenOverflows\` counts these on the server.`,
  },
  'keepalive-timeout': {
    definition: "TCP keep-alive probes went unanswered and the prober's kernel reset the connection.",
    explain: (_c, w) => `The ${w.side}'s keep-alive probes (from ${w.first}) got no answer, so its kernel gave up and reset the connection (${w.last}): the other end or the path to it was gone. recv() on the ${w.side} fails with ETIMEDOUT.`,
  },
  'idle-timeout': {
    definition: 'The connection was silent for 30 s or more, then was reset or timed out: typically a firewall, NAT or load balancer that forgot it.',
    explain: (c, w) => c.side === 'path'
      ? `The connection was silent for ${w.seconds}; the next packet (${w.first}) was answered by a RST from the path (${w.last}): a firewall, NAT or load balancer between them had dropped the idle connection. Enable TCP keep-alive (or application pings) at an interval below that device's idle timeout.`
      : `The connection was silent for ${w.seconds}, then the ${w.side} ended it (${w.nos}): an idle timeout, in the ${w.side}'s application (a connection pool, a server's keep-alive limit) or in a device between them that the ${w.side}'s address hides. If the connection should live, enable TCP keep-alive (or application pings) below that timeout.`,
  },
  'retransmission-timeout': {
    definition: "A side retransmitted data that was never acknowledged until its kernel gave up (ETIMEDOUT).",
    explain: (_c, w) => `The ${w.side} retransmitted its data (${w.nos}) for ${w.seconds} and nothing was acknowledged: the ${w.other} or the path to it stopped answering. Its kernel gives up after tcp_retries2 (or TCP_USER_TIMEOUT) and send()/recv() fail with ETIMEDOUT.`,
  },
  'zero-window': {
    definition: 'The receiver advertised a zero window (its application stopped reading) and the sender waited behind it.',
    explain: (_c, w) => `The ${w.side} advertised a zero window (${w.first}): its application stopped reading, its receive buffer filled, and the ${w.other} could send nothing more (${w.nos}). Find why the ${w.side}'s application stopped calling recv().`,
  },
  'peer-lost-state': {
    definition: 'A host answered with RST on a connection it never closed: it no longer had the socket (rebooted, killed, state lost).',
    explain: (_c, w) => `The ${w.side}'s host answered the ${w.other}'s packet with a bare RST (${w.last}) though it never closed the connection: it no longer knew it (the host rebooted, the socket was destroyed, or state was lost on the way). The ${w.other}'s recv() or send() fails with ECONNRESET.`,
  },
  'fin-wait-2-timeout': {
    definition: "The closer's orphaned FIN_WAIT_2 socket had timed out when the other side's late FIN arrived.",
    explain: (_c, w) => `The ${w.side} closed (${w.first}) and its kernel dropped the orphaned FIN_WAIT_2 socket after tcp_fin_timeout; the ${w.other}'s late FIN, ${w.seconds} after the close was acknowledged, found no socket and got RST (${w.last}). The ${w.other} should close sooner after recv() returns 0.`,
  },
  'time-wait-assassination': {
    definition: 'A RST reached a side in TIME_WAIT and ended it early (RFC 1337).',
    explain: (_c, w) => `A RST (${w.nos}) reached the ${w.side} while it was in TIME_WAIT: TIME_WAIT was cut short, and old duplicate segments could reach a new connection on the same ports (RFC 1337). Linux ignores such RSTs with net.ipv4.tcp_rfc1337 = 1.`,
  },
  'last-ack-lost': {
    definition: 'Both sides closed, but the last FIN was retransmitted and never acknowledged.',
    explain: (_c, w) => `The ${w.side}'s FIN (${w.nos}) was sent again and never acknowledged: the last ACK was lost, so the ${w.side} stayed in LAST_ACK until its kernel gave up. Both applications had closed; only the last packet went missing.`,
  },
  'path-reset': {
    definition: 'A RST that its purported sender did not send: a firewall, load balancer or injector on the path made it.',
    explain: (c, w) => c.ttl !== undefined
      ? `The RST (${w.first}) carries the ${w.side}'s address, but its TTL ${c.ttl.rst} fits none of the ${w.side}'s other packets (TTL ${c.ttl.low === c.ttl.high ? c.ttl.low : `${c.ttl.low}–${c.ttl.high}`}): a device on the path sent it, not the ${w.side}. Look at the firewalls, NATs and load balancers between them.`
      : `The RST (${w.first}) carries the ${w.side}'s address, but the ${w.side} went on sending afterwards (${w.last}) as if nothing happened: a device on the path sent it. Look at the firewalls, NATs and load balancers between them.`,
  },
  'rst-ignored': {
    definition: 'A RST with a sequence number the receiver could not accept (RFC 5961); the connection went on.',
    explain: (_c, w) => `A RST said to come from the ${w.side} (${w.nos}) had a sequence number outside what its receiver could accept, so the receiver ignored it (RFC 5961) and the connection went on: it ended nothing. A forged or very late RST.`,
  },
  'capture-gap': {
    definition: 'The capture lacks packets the verdict rests on (an ACK of bytes or a FIN never seen).',
    explain: (_c, w) => `The capture lacks packets of this connection: ${w.nos} acknowledge data or a FIN of the ${w.side} that the capture never shows, so those were inferred. Capture with a larger buffer (tcpdump -B), a snaplen that keeps the headers, and check the drop count tcpdump prints.`,
  },
};

const ZH: Record<CauseId, CauseWords> = {
  'connect-timeout': {
    name: '连接超时',
    definition: 'connect() 超时：SYN 没有得到回应（或 SYN-ACK 到达时客户端已经放弃）。',
    explain: (_c, w) => `客户端一再重发 SYN（${w.nos}，历时 ${w.seconds}），没有及时收到 SYN-ACK：connect() 返回 ETIMEDOUT。检查是否有防火墙或安全组丢弃 SYN、服务器是否宕机、地址是否正确；tcp_syn_retries 决定 connect() 等待多久。`,
  },
  'listen-overflow': {
    name: '监听队列溢出',
    definition: '服务器的 accept 队列已满：丢弃或重置了已完成握手的连接。',
    explain: (_c, w) => `服务器内核完成了握手，却无法把连接放入队列（${w.nos}）：应用 accept() 太慢，listen() 的 backlog 已满。调大 backlog（listen()、net.core.somaxconn）或更快地 accept；服务器上 \`nstat -az TcpExtListenOverflows\` 会统计这种情况。`,
  },
  'keepalive-timeout': {
    name: '保活超时',
    definition: 'TCP 保活探测没有回应，探测方内核重置了连接。',
    explain: (_c, w) => `${w.side}的保活探测（从 ${w.first} 起）没有得到回应，它的内核放弃并重置了连接（${w.last}）：对端或通往对端的路径已不存在。${w.side}上的 recv() 返回 ETIMEDOUT。`,
  },
  'idle-timeout': {
    name: '空闲超时',
    definition: '连接静默 30 秒以上后被重置或超时：通常是防火墙、NAT 或负载均衡器忘记了它。',
    explain: (c, w) => c.side === 'path'
      ? `连接静默了 ${w.seconds}；之后的下一个分组（${w.first}）被路径上发出的 RST（${w.last}）回应：两端之间的防火墙、NAT 或负载均衡器已丢弃了这个空闲连接。请开启 TCP 保活（或应用层心跳），间隔小于该设备的空闲超时。`
      : `连接静默了 ${w.seconds}，随后${w.side}结束了它（${w.nos}）：这是空闲超时，可能来自${w.side}的应用（连接池、服务器的 keep-alive 上限），也可能来自两端之间、以${w.side}地址发包的设备。如果连接需要保持，请开启 TCP 保活（或应用层心跳），间隔小于该超时。`,
  },
  'retransmission-timeout': {
    name: '重传超时',
    definition: '一方重传的数据始终没有被确认，直到内核放弃（ETIMEDOUT）。',
    explain: (_c, w) => `${w.side}重传数据（${w.nos}）历时 ${w.seconds}，没有任何确认：${w.other}或通往它的路径不再回应。内核在 tcp_retries2（或 TCP_USER_TIMEOUT）之后放弃，send()/recv() 返回 ETIMEDOUT。`,
  },
  'zero-window': {
    name: '零窗口',
    definition: '接收方通告零窗口（应用停止读取），发送方只能等待。',
    explain: (_c, w) => `${w.side}通告了零窗口（${w.first}）：它的应用停止读取，接收缓冲区已满，${w.other}无法再发送（${w.nos}）。请查明${w.side}的应用为何不再调用 recv()。`,
  },
  'peer-lost-state': {
    name: '对端丢失连接状态',
    definition: '一台主机对它从未关闭的连接回应 RST：它已没有这个套接字（重启、被杀或状态丢失）。',
    explain: (_c, w) => `${w.side}主机用不带 ACK 的 RST（${w.last}）回应${w.other}的分组，尽管它从未关闭连接：它已不认识这个连接（主机重启、套接字被销毁或状态丢失）。${w.other}的 recv() 或 send() 返回 ECONNRESET。`,
  },
  'fin-wait-2-timeout': {
    name: 'FIN_WAIT_2 超时',
    definition: '对端迟到的 FIN 到达时，关闭方的孤儿 FIN_WAIT_2 套接字已经超时。',
    explain: (_c, w) => `${w.side}已关闭（${w.first}），其内核在 tcp_fin_timeout 之后丢弃了孤儿 FIN_WAIT_2 套接字；${w.other}在关闭被确认 ${w.seconds} 之后才发来的 FIN 找不到套接字，得到 RST（${w.last}）。${w.other}应在 recv() 返回 0 后尽快关闭。`,
  },
  'time-wait-assassination': {
    name: 'TIME_WAIT 被提前终止',
    definition: 'RST 到达处于 TIME_WAIT 的一方，提前结束了它（RFC 1337）。',
    explain: (_c, w) => `RST（${w.nos}）在${w.side}处于 TIME_WAIT 时到达：TIME_WAIT 被提前结束，旧的重复分组可能进入同一端口上的新连接（RFC 1337）。Linux 设置 net.ipv4.tcp_rfc1337 = 1 可忽略这类 RST。`,
  },
  'last-ack-lost': {
    name: '最后的 ACK 丢失',
    definition: '双方都已关闭，但最后的 FIN 被重传且始终没有被确认。',
    explain: (_c, w) => `${w.side}的 FIN（${w.nos}）被重发，始终没有得到确认：最后的 ACK 丢失了，${w.side}停在 LAST_ACK 直到内核放弃。双方应用都已关闭，只是最后一个分组丢了。`,
  },
  'path-reset': {
    name: '路径设备发出的重置',
    definition: '并非由名义发送方发出的 RST：路径上的防火墙、负载均衡器或注入者伪造了它。',
    explain: (c, w) => c.ttl !== undefined
      ? `这个 RST（${w.first}）带着${w.side}的地址，但它的 TTL ${c.ttl.rst} 与${w.side}的其他分组（TTL ${c.ttl.low === c.ttl.high ? c.ttl.low : `${c.ttl.low}–${c.ttl.high}`}）都不符：是路径上的设备发出的，而不是${w.side}。请检查两端之间的防火墙、NAT 和负载均衡器。`
      : `这个 RST（${w.first}）带着${w.side}的地址，但${w.side}之后照常继续发送（${w.last}）：是路径上的设备发出的。请检查两端之间的防火墙、NAT 和负载均衡器。`,
  },
  'rst-ignored': {
    name: 'RST 被忽略',
    definition: '序号不可接受的 RST（RFC 5961）；连接继续进行。',
    explain: (_c, w) => `一个据称来自${w.side}的 RST（${w.nos}）序号超出接收方可接受的范围，接收方忽略了它（RFC 5961），连接继续：它没有结束任何东西。这是伪造的或非常迟到的 RST。`,
  },
  'capture-gap': {
    name: '抓包缺失',
    definition: '抓包缺少判定所依据的分组（确认了从未出现的数据或 FIN）。',
    explain: (_c, w) => `抓包缺少这个连接的分组：${w.nos} 确认了抓包中从未出现的${w.side}的数据或 FIN，因此这些是推断出来的。请用更大的缓冲区（tcpdump -B）和保留首部的 snaplen 抓包，并查看 tcpdump 报告的丢包数。`,
  },
};

const CATALOGUE: Record<Lang, Record<CauseId, CauseWords>> = { en: EN, zh: ZH };

/** A cause's one-line definition. */
export const causeDefinition = (id: CauseId, lang: Lang): string => CATALOGUE[lang][id].definition;

/** The explanation of one cause of a connection. `resetBy`: for a path cause, the side whose address it used. */
export function causeExplanation(c: Cause, lang: Lang, pathSide: 'client' | 'server' = 'server'): string {
  const about = c.side === 'path' ? pathSide : c.side;
  const w: Words = {
    side: sideName(about, lang),
    other: sideName(about === 'client' ? 'server' : 'client', lang),
    nos: c.evidence.map((n) => `#${n}`).join(', '),
    first: c.evidence.length > 0 ? `#${c.evidence[0]}` : '#?',
    last: c.evidence.length > 0 ? `#${c.evidence[c.evidence.length - 1]}` : '#?',
    seconds: c.seconds === null ? '?' : LABELS[lang].seconds(c.seconds.toFixed(3)),
  };
  return CATALOGUE[lang][c.id].explain(c, w);
}

/** A cause as docs/contract.md, "JSON fields" has it: { id, side, evidence, seconds }. */
export const causeJson = (c: Cause): Pick<Cause, 'id' | 'side' | 'evidence' | 'seconds'> => ({ id: c.id, side: c.side, evidence: c.evidence, seconds: c.seconds });

/** A cause's name: its id in English, `空闲超时` in Chinese. */
export const causeName = (id: CauseId, lang: Lang): string => CATALOGUE[lang][id].name ?? id;

/**
 * `Cause: idle-timeout (path, 35.002 s): The connection was silent …`: a cause's line under a
 * verdict; in Chinese `原因：空闲超时（idle-timeout，路径，35.002 秒）：…`, the id kept for the docs.
 */
export function causeLine(c: Cause, v: { resetBy: Who }, lang: Lang): string {
  const w = LABELS[lang];
  const seconds = c.seconds === null ? '' : `${w.comma}${w.seconds(c.seconds.toFixed(3))}`;
  const explanation = causeExplanation(c, lang, v.resetBy === 'client' ? 'client' : 'server');
  if (lang === 'en') return `${w.cause}: ${c.id} (${c.side}${seconds}): ${explanation}`;
  return `${w.cause}${w.colon}${causeName(c.id, lang)}（${c.id}${w.comma}${sideName(c.side, lang)}${seconds}）${w.colon}${explanation}`;
}
