/**
 * The HTML report's own words in each language (`--lang`): the page's headings, buttons and facts,
 * the legend of colours and history letters, the ladder's and the packet table's labels. The
 * report's other words are the text reports' (labels.ts, names.ts, notes.ts, causes.ts, the
 * explanation catalogue).
 */
import type { NoteTone } from '../notes.js';
import type { Lang } from '../notes.js';

export interface PageWords {
  title: string;
  unknownFormat: string;
  records: (n: number) => string;
  tcp: (n: number) => string;
  shown: (n: number) => string;
  damage: (offset: number, packet: number, message: string) => string;
  byClass: string;
  filter: string;
  all: string;
  showing: (shownSpan: string, total: number) => string;
  openCard: string;
  noConnections: string;
  /** The card: its body's summary, the lack of rows, the button that shows the rest. */
  body: (packets: number) => string;
  noRows: string;
  showAll: (packets: number) => string;
  packets: string;
  handshake: (name: string) => string;
  history: string;
  /** The packet table's columns: number, time, direction, the sides' states, notes, Info. */
  packetHead: readonly string[];
  /** The legend. */
  legend: string;
  classColours: string;
  rowColours: string;
  tones: Record<Exclude<NoteTone, 'plain'>, string>;
  historyLetters: string;
  historyCase: string;
  /** What each of Zeek's history letters (flow/history.ts) stands for, by upper-case letter. */
  letters: Record<'S' | 'H' | 'F' | 'R' | 'D' | 'A', string>;
  evidenceLinks: string;
  /** The ladder's and chart's names for a screen reader, and the steps left out. */
  ladderLabel: (id: number) => string;
  chartLabel: string;
  moreSteps: (n: number) => string;
  /** The large report's list (list-page.ts): its summary, search, columns and detail. */
  list: {
    byCause: string;
    noCauses: string;
    servers: string;
    ports: string;
    overTime: (seconds: string) => string;
    search: string;
    searchHint: string;
    columns: readonly string[];
    pick: string;
    loading: string;
    noRowsHere: string;
  };
}

const EN: PageWords = {
  title: 'teardown report',
  unknownFormat: 'unknown format',
  records: (n) => `${n} records`,
  tcp: (n) => `${n} TCP`,
  shown: (n) => `${n} connection${n === 1 ? '' : 's'} shown`,
  damage: (offset, packet, message) => `Damaged input at byte offset ${offset} (packet ${packet}): ${message}. The packets before it were analysed.`,
  byClass: 'Connections by class',
  filter: 'Filter',
  all: 'All',
  showing: (shownSpan, total) => `Showing ${shownSpan} of ${total} connections.`,
  openCard: ' Open a card to draw its ladder and packet table.',
  noConnections: 'No TCP connections.',
  body: (packets) => `Ladder diagram and packet table (${packets} packets)`,
  noRows: 'Packet rows were not kept (--no-packets).',
  showAll: (packets) => `Show all ${packets} packets`,
  packets: 'packets',
  handshake: (name) => `handshake ${name}`,
  history: 'history',
  packetHead: ['No.', 'Time', '', 'Client', 'Server', 'Note', 'Info'],
  legend: 'How to read this page',
  classColours: 'Class colours (the card\'s edge and badge):',
  rowColours: 'Packets (rows and arrows):',
  tones: { fin: 'a FIN and its ACK', trailing: 'data after a FIN', rst: 'a RST' },
  historyLetters: 'History (Zeek\'s conn.log letters, each once, in order of first sight):',
  historyCase: 'upper case: the client; lower case: the server',
  letters: { S: 'SYN', H: 'SYN-ACK', F: 'FIN', R: 'RST', D: 'data', A: 'pure ACK' },
  evidenceLinks: 'Packet numbers (#9) in a verdict are links to their row in the packet table.',
  ladderLabel: (id) => `ladder diagram of connection ${id}`,
  chartLabel: 'connections by class',
  moreSteps: (n) => `… ${n} more steps: see the packet table`,
  list: {
    byCause: 'Connections by cause',
    noCauses: 'No cause found.',
    servers: 'Busiest servers',
    ports: 'Busiest server ports',
    overTime: (seconds) => `Connections started, by time (a bar: ${seconds} s)`,
    search: 'Search',
    searchHint: 'address, port, #id, class, history',
    columns: ['#', 'Client', 'Server', 'Class', 'Start', 'Duration', 'Packets', 'Bytes →', 'Bytes ←', 'History'],
    pick: 'Click a connection (or press Enter on it) to see its verdict, ladder and packet table; click a heading to sort.',
    loading: 'Unpacking the connections…',
    noRowsHere: 'Packet rows were not kept for this connection (--no-packets, or the row budget was reached).',
  },
};

const ZH: PageWords = {
  title: 'teardown 报告',
  unknownFormat: '未知格式',
  records: (n) => `${n} 条记录`,
  tcp: (n) => `${n} 个 TCP 分组`,
  shown: (n) => `显示 ${n} 个连接`,
  damage: (offset, packet, message) => `输入在字节偏移 ${offset}（分组 ${packet}）处损坏：${message}。之前的分组已分析。`,
  byClass: '各类别的连接数',
  filter: '筛选',
  all: '全部',
  showing: (shownSpan, total) => `显示 ${total} 个连接中的 ${shownSpan} 个。`,
  openCard: '展开卡片即可画出时序图和分组表。',
  noConnections: '没有 TCP 连接。',
  body: (packets) => `时序图和分组表（${packets} 个分组）`,
  noRows: '未保留分组行（--no-packets）。',
  showAll: (packets) => `显示全部 ${packets} 个分组`,
  packets: '分组',
  handshake: (name) => `握手${name}`,
  history: '历史',
  packetHead: ['序号', '时间', '', '客户端状态', '服务器状态', '说明', '信息'],
  legend: '图例',
  classColours: '类别颜色（卡片左边和标签）：',
  rowColours: '分组（表格行和箭头）：',
  tones: { fin: 'FIN 及其确认', trailing: 'FIN 之后的数据', rst: 'RST（重置）' },
  historyLetters: '历史（Zeek conn.log 的字母，每个只记一次，按首次出现的顺序）：',
  historyCase: '大写：客户端；小写：服务器',
  letters: { S: 'SYN', H: 'SYN-ACK', F: 'FIN', R: 'RST', D: '数据', A: '纯 ACK' },
  evidenceLinks: '判定中的分组号（#9）是链接，点击跳到分组表中的那一行。',
  ladderLabel: (id) => `连接 ${id} 的时序图`,
  chartLabel: '各类别的连接数',
  moreSteps: (n) => `… 还有 ${n} 步：见分组表`,
  list: {
    byCause: '各原因的连接数',
    noCauses: '没有找到原因。',
    servers: '连接最多的服务器',
    ports: '连接最多的服务器端口',
    overTime: (seconds) => `按时间统计的新连接（每条 ${seconds} 秒）`,
    search: '搜索',
    searchHint: '地址、端口、#编号、类别、历史',
    columns: ['#', '客户端', '服务器', '类别', '开始', '时长', '分组', '字节 →', '字节 ←', '历史'],
    pick: '点击一个连接（或在其上按回车）即可看到判定、时序图和分组表；点击列标题排序。',
    loading: '正在解开连接数据…',
    noRowsHere: '此连接未保留分组行（--no-packets，或已达到分组行上限）。',
  },
};

export const PAGE_WORDS: Record<Lang, PageWords> = { en: EN, zh: ZH };
