/**
 * The words of `teardown live`'s and `teardown lab`'s own lines in each language (`--lang`;
 * docs/contract.md, "Commands"): the listening line, the stuck warning with the kernel's word on
 * the sockets (cli/kernel-sockets.ts), the capture's statistics, the file written; the lab's
 * heading and its note when a run came out otherwise (the scenarios' own lines are scenarios.ts's). Interface names,
 * filters, TCP state names, pids and command names are printed as they are; tcpdump's own
 * messages are tcpdump's.
 */
import type { Lang } from './notes.js';

export interface LiveWords {
  /** `listening on lo (filter 'port 80'); Ctrl-C stops and prints the summary`; `filter` is '' for none. */
  listening: (iface: string, filter: string) => string;
  /** The stuck warning: the states, the seconds (`1.5`), the side that waits, the side that closed, the FIN's number. */
  stuck: (id: number, states: string, seconds: string, waiting: string, closer: string, fin: string) => string;
  /** `kernel: server CLOSE_WAIT, pid 1234 python3; client FIN_WAIT_2, no process (closed)`, from its sockets' parts. */
  kernel: (sockets: readonly string[]) => string;
  /** A warning with the kernel's word after it. */
  noted: (warning: string, note: string) => string;
  socket: (side: string, state: string, held: string) => string;
  pid: (pid: number, command: string) => string;
  noProcess: string;
  processUnknown: string;
  /** The closing line: what the kernel handed tcpdump and what it dropped (`?` where tcpdump did not say). */
  stats: (iface: string, filter: string, received: string, dropped: string, captured: string) => string;
  written: (file: string) => string;
  /** A capture that ended in failure: tcpdump's reason, then what was done. */
  failed: (failure: string) => string;
  /** `Lab NAME: CALLS`, and where `lab -w` kept the capture. */
  lab: (name: string, calls: string) => string;
  kept: (file: string) => string;
  /** A verdict in a lab's note: its title (names.ts, verdictTitle), closer, trailing bytes (0: not said). */
  verdict: (title: string, closer: string, trailingBytes: number) => string;
  noConnection: string;
  crossed: string;
  serialised: (verdict: string, why: string) => string;
  otherwise: (expected: string, got: string) => string;
}

const EN: LiveWords = {
  listening: (iface, filter) => `listening on ${iface}${filter ? ` (filter '${filter}')` : ''}; Ctrl-C stops and prints the summary`,
  stuck: (id, states, seconds, waiting, closer, fin) =>
    `warning: connection ${id} has sat in ${states} for ${seconds} s: the ${waiting} received the ${closer}'s FIN (#${fin}) but has not closed its socket`,
  kernel: (sockets) => `kernel: ${sockets.join('; ')}`,
  noted: (warning, note) => `${warning} (${note})`,
  socket: (side, state, held) => `${side} ${state}, ${held}`,
  pid: (pid, command) => `pid ${pid} ${command}`,
  noProcess: 'no process (closed)',
  processUnknown: 'process unknown',
  stats: (iface, filter, received, dropped, captured) =>
    `Capture on ${iface}${filter ? ` (filter '${filter}')` : ''}: ${received} packets received by filter, ${dropped} dropped by kernel, ${captured} captured`,
  written: (file) => `capture written to ${file}`,
  failed: (failure) => `${failure}; the packets before it were analysed`,
  lab: (name, calls) => `Lab ${name}: ${calls}`,
  kept: (file) => `Capture kept in ${file}`,
  verdict: (title, closer, trailing) => `${title}, closer ${closer}${trailing ? `, ${trailing} trailing bytes` : ''}`,
  noConnection: 'Note: no connection was captured on the scenario\'s port.',
  crossed: 'Note: best effort, and this time the FINs crossed: a real simultaneous close.',
  serialised: (verdict, why) => `Note: best effort: the kernel serialised the FINs, so the verdict is ${verdict} instead of simultaneous. ${why}`.trimEnd(),
  otherwise: (expected, got) => `Note: this scenario is written to give ${expected}, but this run gave ${got} (timing on this machine); run it again.`,
};

const ZH: LiveWords = {
  listening: (iface, filter) => `正在 ${iface} 上监听${filter ? `（过滤器 '${filter}'）` : ''}；按 Ctrl-C 停止并打印摘要`,
  stuck: (id, states, seconds, waiting, closer, fin) =>
    `警告：连接 ${id} 已停在 ${states} ${seconds} 秒：${waiting}收到了${closer}的 FIN（#${fin}），但还没有关闭它的套接字`,
  kernel: (sockets) => `内核：${sockets.join('；')}`,
  noted: (warning, note) => `${warning}（${note}）`,
  socket: (side, state, held) => `${side} ${state}，${held}`,
  pid: (pid, command) => `进程 ${pid} ${command}`,
  noProcess: '无进程（已关闭）',
  processUnknown: '进程未知',
  stats: (iface, filter, received, dropped, captured) =>
    `${iface} 上的抓包${filter ? `（过滤器 '${filter}'）` : ''}：过滤器收到 ${received} 个分组，内核丢弃 ${dropped} 个，抓取 ${captured} 个`,
  written: (file) => `抓包已写入 ${file}`,
  failed: (failure) => `${failure}；此前的分组已分析`,
  lab: (name, calls) => `实验 ${name}：${calls}`,
  kept: (file) => `抓包保存在 ${file}`,
  verdict: (title, closer, trailing) => `${title}，关闭方 ${closer}${trailing ? `，FIN 之后的数据 ${trailing} 字节` : ''}`,
  noConnection: '注意：在该场景的端口上没有抓到连接。',
  crossed: '注意：尽力而为，这次两个 FIN 交错了：真正的同时关闭。',
  serialised: (verdict, why) => `注意：尽力而为：内核让两个 FIN 先后发出，所以判定是 ${verdict}，而不是同时关闭。${why}`,
  otherwise: (expected, got) => `注意：本场景本应得到 ${expected}，但这次得到 ${got}（本机的时序所致）；请再运行一次。`,
};

export const LIVE_WORDS: Record<Lang, LiveWords> = { en: EN, zh: ZH };
