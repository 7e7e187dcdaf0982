/**
 * The fixed words of the text reports in each language (`--lang`): the connection's heading, the
 * verdict line's labels, the packet table's and the summary table's columns, the `Summary:` line,
 * what was not analysed, the ladder's lifelines. The writers (text-columns.ts, text.ts,
 * summary-table.ts, ladder.ts, svg.ts, html.ts) take their words from here; the names of classes,
 * details and sides are names.ts's, the notes' notes.ts's, the causes' causes.ts's.
 */
import type { SkipReason } from '../decode/segment.js';
import type { UnplacedWhy } from '../analysis/unplaced.js';
import type { Lang } from './notes.js';

export interface Labels {
  /** `Connection 1: a → b (client → server), packets #1–#9, handshake complete`, in its parts. */
  connection: string;
  colon: string;
  clientToServer: string;
  handshake: (name: string) => string;
  /** The verdict line: `Verdict: TITLE, closer X, reset by Y[, trailing bytes N][, stuck for S][, final states A / B]`. */
  verdict: string;
  closer: string;
  resetBy: string;
  trailingBytes: string;
  /** What follows the number of trailing bytes. */
  bytesUnit: string;
  stuckFor: string;
  finalStates: string;
  evidence: string;
  cause: string;
  /** A number of seconds: `1.500 s`. */
  seconds: (s: string) => string;
  /** Between the items of a list in running text. */
  comma: string;
  packetColumns: readonly string[];
  summaryColumns: readonly string[];
  /** The live capture's first column, and the heading of the connections it had not seen end. */
  conn: string;
  notEnded: string;
  /** `of`: the connections in the capture, when a selection shows fewer (`Summary: 3 of 6 connections`). */
  summary: (flows: number, of?: number) => string;
  /** What follows the summary's counts: ` (refused 1, graceful 2)`. */
  inParens: (text: string) => string;
  causes: string;
  dropped: (n: number) => string;
  notAnalysed: (total: number, records: number, reasons: string) => string;
  unsupported: (linkType: string) => string;
  /** `IP fragments: 3 datagrams reassembled, 1 fragment dropped` (the dropped part only when some were). */
  fragments: (reassembled: number, dropped: number) => string;
  skipReasons: Record<SkipReason, string>;
  /** The ladder: lifeline names, a folded run, the mark on a cause's evidence. */
  client: string;
  server: string;
  no: string;
  time: string;
  fold: (segments: number, bytes: number) => string;
  causeMark: string;
  /** TCP packets in no connection (render/unplaced.ts): the table's title, the line for those not listed, and each one's note by why. */
  unplacedTitle: (n: number) => string;
  unplacedMore: (n: number, kept: number) => string;
  /** The report page's line for them (a count: the page lists connections). */
  unplacedCount: (n: number) => string;
  /** `n`: the header's bytes there were (cut, ip-short), its data offset (data-offset) or its length (header-length); `ipLength`: the TCP length the IP header gives. */
  unplacedWhy: Record<UnplacedWhy, (n: number, ipLength: number) => string>;
  /** annotate's comment of a packet (render/annotate.ts): its row's Client, Server and Note cells. */
  rowComment: (client: string, server: string, note: string) => string;
}

const EN: Labels = {
  connection: 'Connection ',
  colon: ': ',
  clientToServer: ' (client → server), packets #',
  handshake: (name) => `, handshake ${name}`,
  verdict: 'Verdict: ',
  closer: ', closer ',
  resetBy: ', reset by ',
  trailingBytes: ', trailing bytes ',
  bytesUnit: '',
  stuckFor: ', stuck for ',
  finalStates: ', final states ',
  evidence: 'Evidence: ',
  cause: 'Cause',
  seconds: (s) => `${s} s`,
  comma: ', ',
  packetColumns: ['No.', 'Time', 'Source', 'Src Port', 'Destination', 'Dst Port', 'Protocol', 'Info', 'Client', 'Server', 'Note'],
  summaryColumns: ['#', 'Client', 'Server', 'Class', 'Detail', 'Closer', 'Reset by', 'Cause', 'Trailing', 'Packets', 'Final states'],
  conn: 'Conn',
  notEnded: 'Not ended at the end of the capture:',
  summary: (flows, of) => `Summary: ${flows}${of === undefined ? '' : ` of ${of}`} connection${(of ?? flows) === 1 ? '' : 's'}`,
  inParens: (text) => ` (${text})`,
  causes: '; causes: ',
  dropped: (n) => `The capture dropped ${n} packet${n === 1 ? '' : 's'} (pcapng interface statistics): verdicts may rest on packets it lacks`,
  notAnalysed: (total, records, reasons) => `Not analysed: ${total} of ${records} records (${reasons})`,
  unsupported: (linkType) => `  ${linkType} is not supported: its records were counted, not decoded`,
  fragments: (reassembled, dropped) =>
    `IP fragments: ${reassembled} datagram${reassembled === 1 ? '' : 's'} reassembled${dropped ? `, ${dropped} fragment${dropped === 1 ? '' : 's'} dropped` : ''}`,
  skipReasons: { 'unsupported-link': 'unsupported-link', 'not-ip': 'not-ip', 'not-tcp': 'not-tcp', 'fragment': 'fragment', 'truncated': 'truncated', 'malformed': 'malformed', 'encrypted': 'encrypted' },
  client: 'client',
  server: 'server',
  no: 'No.',
  time: 'Time',
  fold: (segments, bytes) => `${segments} segments, ${bytes} bytes`,
  causeMark: '◀ cause: ',
  rowComment: (client, server, note) => `Client: ${client}, Server: ${server}${note ? `. Note: ${note}` : ''}`,
  unplacedTitle: (n) => `TCP packets in no connection (${n})`,
  unplacedMore: (n, kept) => `… and ${n} more (the first ${kept} are listed)`,
  unplacedCount: (n) => `${n} TCP packet${n === 1 ? '' : 's'} in no connection (a TCP header cut or not valid): teardown analyze lists ${n === 1 ? 'it' : 'them'}`,
  unplacedWhy: {
    'cut': (n) => `the capture cut the TCP header after ${n} of its 20 bytes (snap length)${n < 14 ? ', before its flags' : ''}`,
    'ip-short': (n) => `the IP header leaves the TCP header ${n} bytes (below 20): not a valid segment; a receiver drops it`,
    'data-offset': (n) => `TCP data offset ${n} (below 5): not a valid segment; a receiver drops it`,
    'header-length': (n, ipLength) => `TCP header of ${n} bytes, longer than the ${ipLength} the IP header gives: not a valid segment; a receiver drops it`,
  },
};

const ZH: Labels = {
  connection: '连接 ',
  colon: '：',
  clientToServer: '（客户端 → 服务器），分组 #',
  handshake: (name) => `，握手${name}`,
  verdict: '判定：',
  closer: '，关闭方 ',
  resetBy: '，重置方 ',
  trailingBytes: '，FIN 之后的数据 ',
  bytesUnit: ' 字节',
  stuckFor: '，卡住 ',
  finalStates: '，最终状态 ',
  evidence: '证据：',
  cause: '原因',
  seconds: (s) => `${s} 秒`,
  comma: '，',
  packetColumns: ['序号', '时间', '源地址', '源端口', '目的地址', '目的端口', '协议', '信息', '客户端状态', '服务器状态', '说明'],
  summaryColumns: ['#', '客户端', '服务器', '类别', '细节', '关闭方', '重置方', '原因', 'FIN 后字节', '分组', '最终状态'],
  conn: '连接',
  notEnded: '抓包结束时仍未结束的连接：',
  summary: (flows, of) => (of === undefined ? `汇总：${flows} 个连接` : `汇总：${of} 个连接中的 ${flows} 个`),
  inParens: (text) => `（${text}）`,
  causes: '；原因：',
  dropped: (n) => `抓包丢弃了 ${n} 个分组（pcapng 接口统计）：判定可能依据了抓包中缺少的分组`,
  notAnalysed: (total, records, reasons) => `未分析：${records} 条记录中的 ${total} 条（${reasons}）`,
  unsupported: (linkType) => `  不支持 ${linkType}：其记录只计数，未解码`,
  fragments: (reassembled, dropped) => `IP 分片：重组了 ${reassembled} 个数据报${dropped ? `，丢弃 ${dropped} 个分片` : ''}`,
  skipReasons: { 'unsupported-link': '不支持的链路类型', 'not-ip': '非 IP', 'not-tcp': '非 TCP', 'fragment': 'IP 分片', 'truncated': '截断', 'malformed': '格式错误', 'encrypted': '已加密（802.11）' },
  client: '客户端',
  server: '服务器',
  no: '序号',
  time: '时间',
  fold: (segments, bytes) => `${segments} 个分段，${bytes} 字节`,
  causeMark: '◀ 原因：',
  rowComment: (client, server, note) => `客户端：${client}，服务器：${server}${note ? `。说明：${note}` : ''}`,
  unplacedTitle: (n) => `不属于任何连接的 TCP 分组（${n}）`,
  unplacedMore: (n, kept) => `……另有 ${n} 个（只列出前 ${kept} 个）`,
  unplacedCount: (n) => `${n} 个 TCP 分组不属于任何连接（TCP 头部被截断或无效）：teardown analyze 会列出它们`,
  unplacedWhy: {
    'cut': (n) => `抓包截断了 TCP 头部，只留下 20 字节中的 ${n} 字节（抓包长度限制）${n < 14 ? '，标志位之前即被截断' : ''}`,
    'ip-short': (n) => `IP 头部只给 TCP 头部留了 ${n} 字节（不足 20）：不是有效的报文段，接收方会丢弃`,
    'data-offset': (n) => `TCP 数据偏移为 ${n}（小于 5）：不是有效的报文段，接收方会丢弃`,
    'header-length': (n, ipLength) => `TCP 头部长 ${n} 字节，超过 IP 头部给出的 ${ipLength} 字节：不是有效的报文段，接收方会丢弃`,
  },
};

export const LABELS: Record<Lang, Labels> = { en: EN, zh: ZH };
