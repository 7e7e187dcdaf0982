/**
 * The words of `teardown live`'s own lines in each language (`--lang`; docs/contract.md,
 * "Commands", `live`): the listening line, the stuck warning with the kernel's word on the
 * sockets (cli/kernel-sockets.ts), the capture's statistics, the file written. Interface names,
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
};

export const LIVE_WORDS: Record<Lang, LiveWords> = { en: EN, zh: ZH };
