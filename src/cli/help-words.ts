/**
 * The words of `--help` that are ours, in each language (docs/contract.md, "Commands"): the
 * commands' and options' descriptions, keyed by id. yargs words its own parts (`Options:`,
 * `[boolean]`, `Show help`, its usage errors) from its zh_CN locale (main.ts). Option names,
 * values and commands stay as typed. The manual page (scripts/man.mjs) is the English help.
 */
import type { Lang } from '../render/notes.js';

export const HELP_WORDS = {
  tagline: { en: 'Explains how TCP connections close.', zh: '解释 TCP 连接是如何关闭的。' },
  debug: { en: 'show stack traces of internal errors', zh: '显示内部错误的调用栈' },
  completion: {
    en: 'print the shell completion script (bash; zsh when SHELL is zsh): teardown completion >> ~/.bashrc',
    zh: '打印 shell 补全脚本（bash；SHELL 为 zsh 时为 zsh）：teardown completion >> ~/.bashrc',
  },
  analyze: {
    en: 'annotated packet table, verdict and explanation of every TCP connection in a capture (- for standard input)',
    zh: '抓包中每个 TCP 连接的带注释分组表、判定和解释（- 表示标准输入）',
  },
  live: {
    en: 'the same analysis live from an interface, streamed as packets arrive (needs root or CAP_NET_RAW, and tcpdump)',
    zh: '在网络接口上实时做同样的分析，分组到达即输出（需要 root 或 CAP_NET_RAW，以及 tcpdump）',
  },
  lab: {
    en: 'runs a client and server on 127.0.0.1 that close in the named way, captures them on lo and analyses the capture (needs root and tcpdump)',
    zh: '在 127.0.0.1 上运行按指定方式关闭的客户端和服务器，在 lo 上抓包并分析（需要 root 和 tcpdump）',
  },
  report: {
    en: 'the analysis as one self-contained HTML page: summary chart, a card per connection with its ladder diagram and packet table',
    zh: '把分析做成一个自包含的 HTML 页面：汇总图表，每个连接一张卡片，含梯形图和分组表',
  },
  annotate: {
    en: 'the capture again as pcapng, each TCP packet commented with its states and notes, each verdict on the packet that decides it, for Wireshark (docs/annotate.md)',
    zh: '把抓包另存为 pcapng，每个 TCP 分组附上状态和注释，每个判定写在决定它的分组上，供 Wireshark 查看（docs/annotate.md）',
  },
  check: {
    en: "regression: compare each capture's verdicts with its expectation file (x.pcap beside x.expect.json)",
    zh: '回归测试：把每个抓包的判定与其期望文件比较（x.pcap 旁的 x.expect.json）',
  },
  captures: {
    en: 'capture files (.pcap, .pcapng, gzip or not; several, or a glob, read as one), or - for standard input; then a capture filter, as tcpdump takes it',
    zh: '抓包文件（.pcap、.pcapng，可为 gzip 压缩；多个文件或通配符作为一个抓包读取），或 - 表示标准输入；其后是抓包过滤器，写法同 tcpdump',
  },
  annotateCapture: { en: '.pcap or .pcapng file, or - for standard input', zh: '.pcap 或 .pcapng 文件，或 - 表示标准输入' },
  outputReport: {
    en: 'write the report to FILE (replaced whole once complete; - standard output)',
    zh: '把报告写入 FILE（完成后整体替换；- 表示标准输出）',
  },
  outputResults: {
    en: 'write the results to FILE (replaced whole once complete; - standard output)',
    zh: '把结果写入 FILE（完成后整体替换；- 表示标准输出）',
  },
  outputLive: { en: 'write the output to FILE as it comes (- standard output)', zh: '边产生边把输出写入 FILE（- 表示标准输出）' },
  outputHtml: { en: 'the HTML file to write (- for standard output)', zh: '要写入的 HTML 文件（- 表示标准输出）' },
  outputPcapng: { en: 'the pcapng file to write (- for standard output)', zh: '要写入的 pcapng 文件（- 表示标准输出）' },
  count: { en: 'stop after N packets (tcpdump -c)', zh: '读到 N 个分组后停止（同 tcpdump -c）' },
  filter: { en: 'capture filter, as tcpdump takes it (e.g. tcp port 12000)', zh: '抓包过滤器，写法同 tcpdump（如 tcp port 12000）' },
  interface: { en: 'interface to capture on (e.g. lo, eth0)', zh: '抓包的网络接口（如 lo、eth0）' },
  writeLive: { en: 'also write the capture to this pcap file', zh: '同时把抓包写入这个 pcap 文件' },
  duration: { en: 'stop after S seconds', zh: 'S 秒后停止' },
  stuckAfter: {
    en: 'warn when a connection has sat in CLOSE_WAIT or FIN_WAIT_2 this many seconds',
    zh: '连接停在 CLOSE_WAIT 或 FIN_WAIT_2 达到这么多秒时发出警告',
  },
  snaplen: {
    en: 'bytes kept of each packet (headers are enough; 0: whole packets, for -w files with payload)',
    zh: '每个分组保留的字节数（头部就够了；0：整个分组，用于需要载荷的 -w 文件）',
  },
  scenario: { en: 'how the connection closes (--list explains each)', zh: '连接的关闭方式（--list 逐一说明）' },
  list: { en: 'list the scenarios and their socket calls', zh: '列出各场景及其套接字调用' },
  writeLab: { en: 'keep the capture in this pcap file', zh: '把抓包保存到这个 pcap 文件' },
  durationLab: { en: 'stop the capture after S seconds', zh: 'S 秒后停止抓包' },
  countLab: { en: 'stop the capture after N packets', zh: '抓到 N 个分组后停止抓包' },
  langNotes: { en: 'language of notes and explanations', zh: '注释和解释的语言' },
  langExplanations: { en: 'language of explanations', zh: '解释的语言' },
  lang: {
    en: 'language of notes and explanations (default: zh when LANG starts with zh)',
    zh: '注释和解释的语言（默认：LANG 以 zh 开头时为 zh）',
  },
  packetsReport: { en: 'ladders and packet tables (--no-packets: verdicts only)', zh: '梯形图和分组表（--no-packets：只要判定）' },
  paths: { en: 'capture files or directories (searched recursively)', zh: '抓包文件或目录（递归查找）' },
  update: {
    en: "write the expectation files from today's verdicts (class, detail, closer, trailingBytes), keeping other fields",
    zh: '按当前的判定写出期望文件（class、detail、closer、trailingBytes），保留其他字段',
  },
  formatCheck: { en: 'output form', zh: '输出形式' },
  flow: { en: 'show only connection N (repeatable)', zh: '只显示连接 N（可重复）' },
  port: { en: 'show only connections on port P (repeatable)', zh: '只显示端口 P 上的连接（可重复）' },
  host: {
    en: 'show only connections with an endpoint at this address, or in ADDRESS/PREFIX (repeatable)',
    zh: '只显示有一端在此地址或 ADDRESS/PREFIX 网段内的连接（可重复）',
  },
  class: {
    en: 'show only connections of this verdict class (repeatable, or a comma list)',
    zh: '只显示属于此判定类别的连接（可重复，或用逗号分隔）',
  },
  format: {
    en: "output form (zeek: Zeek's conn.log, zeek-json: its JSON lines, csv: a row a connection)",
    zh: '输出形式（zeek：Zeek 的 conn.log，zeek-json：其 JSON 行格式，csv：每个连接一行）',
  },
  time: {
    en: 'Time column: since the first record, UTC clock time, or since the previous row',
    zh: 'Time 列：自第一条记录起的时间、UTC 时钟时间，或距上一行的时间',
  },
  color: {
    en: 'colour rows (auto: on a terminal; FORCE_COLOR forces it, NO_COLOR and TERM=dumb turn it off)',
    zh: '为各行着色（auto：在终端上着色；FORCE_COLOR 强制着色，NO_COLOR 和 TERM=dumb 关闭着色）',
  },
  wide: {
    en: 'on a terminal, print every column in full (text is otherwise fitted to its width; files and pipes always get every column)',
    zh: '在终端上完整打印每一列（否则文本按终端宽度裁剪；文件和管道总是得到全部列）',
  },
  packets: {
    en: 'print packet rows (default: for a capture under 10 MB, or the connections --flow picks; --no-packets: verdicts only)',
    zh: '打印分组行（默认：抓包小于 10 MB 时，或 --flow 选中的连接；--no-packets：只要判定）',
  },
  vxlanPort: {
    en: "also read UDP port P as VXLAN (repeatable; 4789 always is), e.g. 8472 for Linux's old default and Flannel",
    zh: '把 UDP 端口 P 也当作 VXLAN 读取（可重复；4789 总会读取），如 Linux 旧默认值和 Flannel 用的 8472',
  },
  tunnels: {
    en: 'open tunnels (VXLAN, Geneve, GRE, ERSPAN, IP-in-IP, 6in4, Teredo, GTP-U) and analyse the connections inside (--no-tunnels: leave them closed)',
    zh: '打开隧道（VXLAN、Geneve、GRE、ERSPAN、IP-in-IP、6in4、Teredo、GTP-U）并分析其中的连接（--no-tunnels：不打开）',
  },
  ladder: {
    en: 'draw each connection as a ladder diagram (client and server lifelines, states beside them) in place of its packet table',
    zh: '把每个连接画成梯形图（客户端和服务器的生命线，旁边标出状态），代替其分组表',
  },
  example: {
    en: 'read a capture shipped with teardown, by name, in place of a path (list: what each shows and where they are)',
    zh: '按名称读取 teardown 自带的抓包，代替路径（list：各抓包展示什么、在哪里）',
  },
  /** The examples that end `--help` (main.ts), and what follows them. */
  examples: { en: 'Examples:', zh: '示例：' },
  exAnalyze: { en: 'every connection: table, verdict, summary', zh: '每个连接：分组表、判定、汇总' },
  exFlow: { en: 'one connection only', zh: '只看一个连接' },
  exJson: { en: 'the same for programs', zh: '同样的内容，供程序读取' },
  exClass: { en: 'one class (also --host ADDR, --port P)', zh: '一个类别（还有 --host ADDR、--port P）' },
  exFilter: { en: 'a capture filter, as tcpdump takes it', zh: '抓包过滤器，写法同 tcpdump' },
  exPipe: { en: 'Ctrl-C: what was read is printed', zh: 'Ctrl-C：打印已读到的内容' },
  exHourly: { en: 'hourly files; then', zh: '每小时一个文件；然后' },
  exHourlyThen: { en: 'all of them as one capture, into day.txt', zh: '把它们作为一个抓包，写入 day.txt' },
  exLive: { en: 'live; verdicts as they end; Ctrl-C: summary', zh: '实时；连接结束即给出判定；Ctrl-C：汇总' },
  exLabList: { en: 'the lab scenarios and their socket calls', zh: '实验场景及其套接字调用' },
  exLab: { en: "the course's close()-before-reading example", zh: '课程中未读完就 close() 的例子' },
  exLadder: { en: 'each connection as a ladder diagram', zh: '把每个连接画成梯形图' },
  exReport: { en: 'the same as one self-contained HTML page', zh: '同样的内容，做成一个自包含的 HTML 页面' },
  exCheck: { en: 'every capture there against its .expect.json', zh: '把那里的每个抓包与其 .expect.json 比较' },
  exAnnotate: { en: "the capture with teardown's reading as comments", zh: '抓包附上 teardown 的解读作为注释' },
  exShard: { en: 'half the connections (a cluster job\'s task)', zh: '一半的连接（集群作业中的一个任务）' },
  exMerge: { en: "with shard 2/2's: one run's output", zh: '与分片 2/2 的合并：等于一次运行的输出' },
  merge: {
    en: 'joins the ndjson outputs of analyze --shard K/N (every shard of a capture), or of several captures, into the output of one run (docs/distributed.md)',
    zh: '把 analyze --shard K/N 的 ndjson 输出（一个抓包的所有分片）或多个抓包的输出合并成一次运行的输出（docs/distributed.md）',
  },
  mergeFiles: { en: 'ndjson outputs of teardown analyze --format ndjson', zh: 'teardown analyze --format ndjson 的 ndjson 输出' },
  outputMerged: {
    en: 'write the merged ndjson to FILE (replaced whole once complete; - standard output)',
    zh: '把合并后的 ndjson 写入 FILE（完成后整体替换；- 表示标准输出）',
  },
  jobs: {
    en: 'analyse on N worker threads, connections shared out by their addresses and ports; the output is the same (default for a capture file of 32 MB or more: the cores available less one, none on fewer than 3; 1: one thread)',
    zh: '用 N 个工作线程分析，按地址和端口把连接分给各线程；输出不变（32 MB 及以上的抓包文件默认：可用核数减一，少于 3 核时不用；1：单线程）',
  },
  shard: {
    en: "analyse only the connections in shard K (from 1) of N, by a hash of their addresses and ports; teardown merge joins the shards' ndjson (docs/distributed.md)",
    zh: '只分析 N 个分片中第 K 个（从 1 数起）里的连接，按地址和端口的哈希划分；teardown merge 合并各分片的 ndjson（docs/distributed.md）',
  },
  exampleCaptures: {
    en: 'Example captures (--example NAME, for analyze, report and annotate; --example list says what each shows):',
    zh: '示例抓包（--example NAME，用于 analyze、report 和 annotate；--example list 说明各自展示什么）：',
  },
  in: { en: 'in', zh: '位于' },
  exitStatus: {
    en: `Exit status: 0 done, 1 a check mismatch, 2 usage or unreadable input (or nothing selected),
3 damaged input (partial results printed), 130 (143, 129) the input ended by Ctrl-C (SIGTERM,
SIGHUP; what was read printed).`,
    zh: `退出状态：0 完成，1 check 不一致，2 用法错误或输入无法读取（或什么都没选中），
3 输入损坏（已打印部分结果），130（143、129）输入被 Ctrl-C（SIGTERM、SIGHUP）结束（已打印读到的内容）。`,
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type HelpId = keyof typeof HELP_WORDS;

/** The help's words in one language: `help('flow')`. */
export const helpIn = (lang: Lang) => (id: HelpId): string => HELP_WORDS[id][lang];

export type Help = ReturnType<typeof helpIn>;
