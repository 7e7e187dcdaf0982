/**
 * The one-line errors that end a run, and `check`'s errors, in each language (docs/contract.md,
 * "Explanations", "Exit codes"): one table keyed by id, each message written once in English and
 * once in Chinese with `{name}` holes that the caller's values fill. A message is made where the
 * error is found and worded where it is printed, in the language then in force (lang.ts), so that
 * an error found before the options are read still speaks the user's language. File names,
 * options as typed, values, the system's reason for a failed call (`no such file or directory`)
 * and other programs' words (tcpdump's, a capture reader's) are filled in as they are.
 */
import type { LiveCaptureError } from '../capture/live.js';
import type { UnreadableCaptureError, UnreadableReason } from '../capture/record.js';
import type { Lang } from '../render/notes.js';

export const MESSAGES = {
  cannotRead: { en: 'cannot read {path}: {reason}', zh: '无法读取 {path}：{reason}' },
  cannotWrite: { en: 'cannot write {path}: {reason}', zh: '无法写入 {path}：{reason}' },
  cannotWriteOutput: { en: 'cannot write the output: {reason}', zh: '无法写入输出：{reason}' },
  readerGone: {
    en: 'the reader of standard output has gone (the same Ctrl-C ended it); the rest follows here',
    zh: '标准输出的读取方已经退出（同一个 Ctrl-C 结束了它）；其余内容输出在这里',
  },
  internalError: { en: 'internal error: {message}', zh: '内部错误：{message}' },
  usageHint: { en: "Run 'teardown --help' for usage.", zh: "用法见 'teardown --help'。" },
  /** yargs' own words for a missing positional (and its zh_CN locale's), for the capture that --example may stand for. */
  noCapture: { en: 'Not enough non-option arguments: got 0, need at least 1', zh: '缺少 non-option 参数：传入了 0 个, 至少需要 1 个' },
  noCommand: { en: 'name a command: analyze, report, annotate, check, merge, live, lab', zh: '请指定一个命令：analyze、report、annotate、check、merge、live、lab' },
  captureAndExample: { en: 'give a capture file or --example NAME, not both', zh: '请给出抓包文件或 --example NAME，不能同时给出' },
  countNotWhole: { en: '--count must be a whole number of packets above 0, not {value}', zh: '--count 必须是大于 0 的整数（分组数），而不是 {value}' },
  durationRange: {
    en: '--duration must be a number of seconds above 0 and at most {max} (24.8 days), not {value}',
    zh: '--duration 必须是大于 0、至多 {max}（24.8 天）的秒数，而不是 {value}',
  },
  stuckAfterRange: { en: '--stuck-after must be a number of seconds from 0 to {max}, not {value}', zh: '--stuck-after 必须是 0 到 {max} 之间的秒数，而不是 {value}' },
  snaplenRange: {
    en: '--snaplen must be a whole number of bytes from 0 (whole packets) to {max}, not {value}',
    zh: '--snaplen 必须是 0（整个分组）到 {max} 之间的整数字节数，而不是 {value}',
  },
  /** `--flow`, `--port`, `--vxlan-port`: `what` is one of the nouns below. */
  optionNeeds: { en: '--{option} needs {what}', zh: '--{option} 需要{what}' },
  optionTakes: { en: '--{option} takes {what}, a whole number from {min} to {max} (got {got})', zh: '--{option} 的值应为{what}，即 {min} 到 {max} 之间的整数（传入值：{got}）' },
  aConnectionNumber: { en: 'a connection number', zh: '连接编号' },
  aPortNumber: { en: 'a port number', zh: '端口号' },
  aUdpPortNumber: { en: 'a UDP port number', zh: 'UDP 端口号' },
  aNumberOfThreads: { en: 'a number of threads', zh: '线程数' },
  notANumber: { en: 'not a number', zh: '非数字' },
  classNeeded: { en: '--class needs a class name', zh: '--class 需要一个类别名' },
  classUnknown: { en: '--class takes a class ({classes}), not {name}', zh: '--class 的值应为类别（{classes}），而不是 {name}' },
  hostNeeded: { en: '--host needs an address', zh: '--host 需要一个地址' },
  hostNotAddress: { en: '--host takes an IPv4 or IPv6 address, or ADDRESS/PREFIX (got {value})', zh: '--host 的值应为 IPv4 或 IPv6 地址，或 ADDRESS/PREFIX（传入值：{value}）' },
  hostPrefix: { en: '--host {value}: the prefix length must be a whole number from 0 to {max}', zh: '--host {value}：前缀长度必须是 0 到 {max} 之间的整数' },
  mergeNotNdjson: {
    en: '{name}: not the ndjson of teardown analyze (a line that is neither a connection nor the summary, or one after the summary)',
    zh: '{name}：不是 teardown analyze 输出的 ndjson（有一行既不是连接也不是汇总，或在汇总之后）',
  },
  mergeNoSummary: {
    en: '{name}: no summary line (an ndjson output of teardown analyze ends with one; was the run cut short?)',
    zh: '{name}：没有汇总行（teardown analyze 的 ndjson 输出以它结尾；运行是否被中断了？）',
  },
  mergeOtherCut: { en: '{name} is shard {shard} of a capture that {head} cuts into {n}', zh: '{name} 是分片 {shard}，而 {head} 把同一抓包分成 {n} 片' },
  mergeTwice: { en: '{first} and {second} are both shard {shard} of {file}', zh: '{first} 和 {second} 都是 {file} 的分片 {shard}' },
  mergeMissing: { en: 'shard {shards} of {file} missing', zh: '缺少 {file} 的分片 {shards}' },
  shardValue: {
    en: '--shard takes K/N, shard K (from 1) of N shards, N from 1 to {max} (got {value})',
    zh: '--shard 的值应为 K/N，即 N 个分片中的第 K 个（从 1 数起），N 为 1 到 {max}（传入值：{value}）',
  },
  labNoScenario: { en: 'name a scenario ({scenarios}), or --list', zh: '请指定一个场景（{scenarios}），或用 --list' },
  labUnknown: { en: 'unknown scenario {name}; scenarios: {scenarios}', zh: '未知场景 {name}；可选场景：{scenarios}' },
  labFailed: { en: 'lab {name}: the scenario failed: {failure}', zh: 'lab {name}：场景运行失败：{failure}' },
  annotateSameFile: { en: '{path} is the capture being read: write the annotated copy to another file', zh: '{path} 就是正在读取的抓包：请把注释后的副本写到另一个文件' },
  annotateTerminal: { en: 'a pcapng file is not for a terminal: -o FILE, or pipe it (-o - | tshark -r -)', zh: 'pcapng 文件不能输出到终端：用 -o FILE，或通过管道（-o - | tshark -r -）' },
  stdinKeep: { en: 'cannot keep standard input in {path} for the second reading: {reason}', zh: '无法把标准输入保存到 {path} 以供第二遍读取：{reason}' },
  checkNoCaptures: { en: 'no capture files (.pcap, .pcapng) in {paths}', zh: '{paths} 中没有抓包文件（.pcap、.pcapng）' },
  /** `check`'s errors, one capture each (docs/contract.md, "Expectation files"). */
  cannotList: { en: 'cannot list the directory: {reason}', zh: '无法列出目录：{reason}' },
  cannotReadIt: { en: 'cannot read it: {reason}', zh: '无法读取：{reason}' },
  notUtf8: { en: 'the name is not UTF-8: rename it to have it checked', zh: '文件名不是 UTF-8：改名后才能检查' },
  notRegular: { en: '{path} is {kind}, not a regular file', zh: '{path} 是{kind}，不是普通文件' },
  danglingLink: { en: '{path} is a dangling symbolic link', zh: '{path} 是悬空的符号链接' },
  tooLarge: { en: '{path} is larger than {mib} MiB', zh: '{path} 大于 {mib} MiB' },
  badExpectation: { en: '{path}: {reason}', zh: '{path}：{reason}' },
  noExpectation: { en: '{capture}: no expectation file {expectation} (write one with --update)', zh: '{capture}：没有期望文件 {expectation}（可用 --update 写出）' },
  willNotWrite: { en: 'will not write {path}: {why}', zh: '不会写入 {path}：{why}' },
  itIsLink: { en: 'it is a symbolic link', zh: '它是符号链接' },
  itIsKind: { en: 'it is {kind}, not a regular file', zh: '它是{kind}，不是普通文件' },
  itIsReadOnly: { en: 'it is read-only', zh: '它是只读的' },
  cannotWriteUnchanged: { en: 'cannot write {path}: {reason}; the old file is unchanged', zh: '无法写入 {path}：{reason}；原文件未改动' },
  /** What a file that is not a regular file is (check-files.ts kindOf). */
  aDirectory: { en: 'a directory', zh: '目录' },
  aFifo: { en: 'a FIFO', zh: '命名管道（FIFO）' },
  aCharacterDevice: { en: 'a character device', zh: '字符设备' },
  aBlockDevice: { en: 'a block device', zh: '块设备' },
  aSocket: { en: 'a socket', zh: '套接字' },
  aSymbolicLink: { en: 'a symbolic link', zh: '符号链接' },
  aRegularFile: { en: 'a regular file', zh: '普通文件' },
  /** A capture that could not be opened (capture/record.ts UnreadableReason); other reasons are the reader's words. */
  noSuchFile: { en: 'cannot read {path}: no such file', zh: '无法读取 {path}：文件不存在' },
  isDirectory: { en: '{path} is a directory', zh: '{path} 是目录' },
  permissionDenied: { en: 'cannot read {path}: permission denied', zh: '无法读取 {path}：权限不足' },
  emptyCapture: { en: '{path} is empty: not a capture file', zh: '{path} 是空文件：不是抓包文件' },
  filterNoTcpdump: { en: '{tcpdump} not found: a capture filter needs tcpdump (apt-get install tcpdump)', zh: '找不到 {tcpdump}：抓包过滤器需要 tcpdump（apt-get install tcpdump）' },
  filterRefused: { en: "capture filter '{filter}' on {path}: {detail}", zh: "抓包过滤器 '{filter}'（用于 {path}）有误：{detail}" },
  /** A live capture that could not start (capture/live.ts LiveFailure); `detail` is tcpdump's words. */
  liveNoTcpdump: { en: '{tcpdump} not found: live capture needs tcpdump (apt-get install tcpdump)', zh: '找不到 {tcpdump}：实时抓包需要 tcpdump（apt-get install tcpdump）' },
  liveNeedsRoot: {
    en: 'capturing on {iface} needs root or CAP_NET_RAW (tcpdump: {detail}): run teardown as root (sudo), or give tcpdump the capability: sudo setcap cap_net_raw,cap_net_admin=eip $(which tcpdump)',
    zh: '在 {iface} 上抓包需要 root 或 CAP_NET_RAW（tcpdump：{detail}）：请以 root 运行 teardown（sudo），或赋予 tcpdump 该能力：sudo setcap cap_net_raw,cap_net_admin=eip $(which tcpdump)',
  },
  liveNoInterface: { en: 'no interface {iface}', zh: '没有网络接口 {iface}' },
  liveNoInterfaceOf: { en: 'no interface {iface}; interfaces: {interfaces}', zh: '没有网络接口 {iface}；可用接口：{interfaces}' },
  liveBadFilter: { en: "bad capture filter '{filter}': {detail}", zh: "抓包过滤器 '{filter}' 有误：{detail}" },
  /** Another program's or another layer's words, as they are (tcpdump's, a capture reader's, yargs' own, already in the language). */
  asIs: { en: '{message}', zh: '{message}' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageId = keyof typeof MESSAGES;

/** A message's holes: `'cannot read {path}: {reason}'` gives `'path' | 'reason'`. */
type Holes<S extends string> = S extends `${string}{${infer H}}${infer Rest}` ? H | Holes<Rest> : never;

/** A message made but not yet worded: worded in either language when printed. */
export type Wording = (lang: Lang) => string;

/** A hole's value: a name or number as it is, or another message worded in the same language. */
type Value = string | number | Wording;

export type MessageParams<Id extends MessageId> = { readonly [H in Holes<(typeof MESSAGES)[Id]['en']>]: Value };

/** Every `{name}` in a template, in order (for the test that both languages have the same). */
export const holesOf = (template: string): string[] => [...template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1] as string);

/** Message `id` with its holes filled, to be worded later: `message('cannotRead', { path, reason })`. */
export function message<Id extends MessageId>(id: Id, ...[params]: Holes<(typeof MESSAGES)[Id]['en']> extends never ? [] : [MessageParams<Id>]): Wording {
  return (lang) => {
    const values = (params ?? {}) as Record<string, Value>;
    return (MESSAGES[id][lang] as string).replace(/\{([^{}]+)\}/g, (hole, name: string) => {
      const v = values[name];
      return v === undefined ? hole : typeof v === 'function' ? v(lang) : String(v);
    });
  };
}

/** Words that are the same in either language: another program's, or another layer's (English). */
export const asIs = (text: string): Wording => message('asIs', { message: text });

/** A capture that cannot be read, in words: its reason when it has one, else the reader's message. */
export function unreadableWords(err: UnreadableCaptureError): Wording {
  const r: UnreadableReason | undefined = err.reason;
  switch (r?.kind) {
    case undefined: return asIs(err.message);
    case 'no-such-file': return message('noSuchFile', { path: r.path });
    case 'directory': return message('isDirectory', { path: r.path });
    case 'permission-denied': return message('permissionDenied', { path: r.path });
    case 'empty': return message('emptyCapture', { path: r.path });
    case 'no-tcpdump': return message('filterNoTcpdump', { tcpdump: r.tcpdump });
    case 'bad-filter': return message('filterRefused', { filter: r.filter, path: r.path, detail: r.detail });
  }
}

/** A live capture that could not start, in words: its reason when teardown knows it, else the message. */
export function liveFailureWords(err: LiveCaptureError): Wording {
  const r = err.reason;
  switch (r?.kind) {
    case undefined: return asIs(err.message);
    case 'no-tcpdump': return message('liveNoTcpdump', { tcpdump: r.tcpdump });
    case 'needs-root': return message('liveNeedsRoot', { iface: r.iface, detail: r.detail });
    case 'no-interface':
      return r.interfaces.length ? message('liveNoInterfaceOf', { iface: r.iface, interfaces: r.interfaces.join(', ') }) : message('liveNoInterface', { iface: r.iface });
    case 'bad-filter': return message('liveBadFilter', { filter: r.filter, detail: r.detail });
  }
}
