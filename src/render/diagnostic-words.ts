/**
 * The words of the diagnostics a run prints on standard error, in each language (`--lang`;
 * docs/contract.md, "Exit codes", "Selection", "Interrupted input"): a damaged capture, the row
 * budget reached, an interrupted input, a selection that picked nothing, the progress of a long read. File names, options as
 * typed, signal names and a reader's own message (what was wrong at the offset) are printed as
 * they are.
 */
import type { Lang } from './notes.js';

export interface DiagnosticWords {
  /** `FILE: damaged at byte offset N (packet P): MESSAGE; the packets before it were analysed`. */
  damaged: (file: string, offset: number, packet: number, message: string) => string;
  /** The row budget was reached: the rows kept, the verdicts whole. */
  /** Rows kept, and the budget's size in MB (analyze's 256, the report's less). */
  rowsCut: (kept: number, mb: number) => string;
  interrupted: (signal: string, packets: number) => string;
  /** `--flow` numbers past the last connection; `total` connections in the capture. */
  absent: (flows: string, total: number) => string;
  /** Nothing matches the selection as typed. */
  noMatch: (selection: string, total: number) => string;
  /** The progress line: megabytes read of the total, percent, thousands of packets a second, seconds left. */
  progress: (read: string, total: string, percent: string, kPackets: number, left: number) => string;
}

const connections = (n: number): string => `${n} connection${n === 1 ? '' : 's'}`;

const EN: DiagnosticWords = {
  damaged: (file, offset, packet, message) => `${file}: damaged at byte offset ${offset} (packet ${packet}): ${message}; the packets before it were analysed`,
  rowsCut: (kept, mb) =>
    `packet rows were kept for the first ${kept} packets only (the row budget, about ${mb} MB); the verdicts cover every packet. A connection's rows: --flow N; verdicts only: --no-packets`,
  interrupted: (signal, packets) => `interrupted (${signal}): the input ended there; the ${packets} packets read before it were analysed`,
  absent: (flows, total) => `no connection ${flows}: the capture has ${connections(total)}${total ? `, numbered 1 to ${total}` : ''}`,
  noMatch: (selection, total) => `no connection matches ${selection} (the capture has ${connections(total)})`,
  progress: (read, total, percent, kPackets, left) => `${read} MB of ${total} MB (${percent} %), ${kPackets} k packets/s, about ${left} s left`,
};

const ZH: DiagnosticWords = {
  damaged: (file, offset, packet, message) => `${file}：在字节偏移 ${offset}（分组 ${packet}）处损坏：${message}；此前的分组已分析`,
  rowsCut: (kept, mb) =>
    `只保留了前 ${kept} 个分组的分组行（行预算，约 ${mb} MB）；判定涵盖每个分组。查看某个连接的分组行：--flow N；只看判定：--no-packets`,
  interrupted: (signal, packets) => `已中断（${signal}）：输入到此结束；此前读到的 ${packets} 个分组已分析`,
  absent: (flows, total) => `没有连接 ${flows}：抓包中有 ${total} 个连接${total ? `，编号 1 到 ${total}` : ''}`,
  noMatch: (selection, total) => `没有连接匹配 ${selection}（抓包中有 ${total} 个连接）`,
  progress: (read, total, percent, kPackets, left) => `已读 ${read} MB / ${total} MB（${percent} %），每秒 ${kPackets} 千个分组，约剩 ${left} 秒`,
};

export const DIAGNOSTIC_WORDS: Record<Lang, DiagnosticWords> = { en: EN, zh: ZH };
