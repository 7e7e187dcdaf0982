import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { statsLine, stuckWarnings } from '../../src/cli/commands/live.js';
import { LIVE_WORDS } from '../../src/render/live-words.js';
import { labNote, scenarioList } from '../../src/cli/commands/lab.js';
import { SCENARIOS } from '../../src/lab/scenarios.js';
import { exampleList } from '../../src/cli/example-captures.js';
import type { FlowReport } from '../../src/analysis/report.js';
import type { Step } from './segments.js';
import { HANDSHAKE, segment } from './segments.js';

/**
 * `teardown live`'s own lines in each language (render/live-words.ts): the stuck warning with the
 * kernel's word, the statistics line, the listening and written lines. English is as it was;
 * Chinese has no English word left but the states, flags and names.
 */

/** A connection whose client closed at second 100 and whose server acknowledged the FIN: CLOSE_WAIT / FIN_WAIT_2. */
function closeWait(): Analyzer {
  const a = new Analyzer('live:lo', { packets: false });
  const steps: Step[] = [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2]];
  steps.forEach((s, i) => {
    const fromClient = s[0] === 'c';
    a.onSegment({ ...segment(s, i + 1), srcPort: fromClient ? 40000 : 80, dstPort: fromClient ? 80 : 40000, tsSec: 100, tsNsec: 0 }, { sec: 100, nsec: 0 });
  });
  return a;
}

describe('live\'s lines in each language', () => {
  it('the stuck warning, with the kernel\'s word', () => {
    const note = (): string[] => ['KERNEL'];
    const en = stuckWarnings(closeWait(), 1, new Set(), 102_500, note, 'en');
    expect(en).toEqual(['warning: connection 1 has sat in CLOSE_WAIT / FIN_WAIT_2 for 2.5 s: the server received the client\'s FIN (#4) but has not closed its socket (KERNEL)']);
    expect(stuckWarnings(closeWait(), 1, new Set(), 102_500)).toEqual(['warning: connection 1 has sat in CLOSE_WAIT / FIN_WAIT_2 for 2.5 s: the server received the client\'s FIN (#4) but has not closed its socket']);
    const zh = stuckWarnings(closeWait(), 1, new Set(), 102_500, note, 'zh');
    expect(zh).toEqual(['警告：连接 1 已停在 CLOSE_WAIT / FIN_WAIT_2 2.5 秒：服务器收到了客户端的 FIN（#4），但还没有关闭它的套接字（KERNEL）']);
  });

  it('the statistics line, with and without a filter and counts', () => {
    const s = { received: 12, dropped: 0, captured: 12 };
    expect(statsLine('lo', ['port', '80'], s)).toBe('Capture on lo (filter \'port 80\'): 12 packets received by filter, 0 dropped by kernel, 12 captured');
    expect(statsLine('lo', [], { ...s, received: null })).toBe('Capture on lo: ? packets received by filter, 0 dropped by kernel, 12 captured');
    expect(statsLine('lo', ['port', '80'], s, 'zh')).toBe('lo 上的抓包（过滤器 \'port 80\'）：过滤器收到 12 个分组，内核丢弃 0 个，抓取 12 个');
    expect(statsLine('lo', [], { ...s, received: null }, 'zh')).toBe('lo 上的抓包：过滤器收到 ? 个分组，内核丢弃 0 个，抓取 12 个');
  });

  it('the listening, written and failure lines', () => {
    const en = LIVE_WORDS.en;
    const zh = LIVE_WORDS.zh;
    expect(en.listening('lo', 'port 80')).toBe('listening on lo (filter \'port 80\'); Ctrl-C stops and prints the summary');
    expect(en.listening('lo', '')).toBe('listening on lo; Ctrl-C stops and prints the summary');
    expect(zh.listening('lo', 'port 80')).toBe('正在 lo 上监听（过滤器 \'port 80\'）；按 Ctrl-C 停止并打印摘要');
    expect([en.written('x.pcap'), zh.written('x.pcap')]).toEqual(['capture written to x.pcap', '抓包已写入 x.pcap']);
    expect([en.failed('tcpdump died'), zh.failed('tcpdump died')]).toEqual(['tcpdump died; the packets before it were analysed', 'tcpdump died；此前的分组已分析']);
  });

  it('lab --list and --example list: the descriptions in Chinese, the names and socket calls as code', () => {
    const en = scenarioList().split('\n');
    const zh = scenarioList('zh').split('\n');
    expect(en[0]).toBe('graceful          client: connect, send "Time", read the time, close(); server: read EOF, close() 50 ms later (four-way close)');
    expect(zh[0]).toBe('graceful          客户端：connect，send "Time"，读取时间，close()；服务器：读到 EOF，50 毫秒后 close()（四次挥手）');
    expect(zh.map((l) => l.split(/\s+/)[0])).toEqual(en.map((l) => l.split(/\s+/)[0]));
    // No English word but the calls' and options' own names.
    const prose = zh.map((l) => l.replace(/^\S+\s+/, '').replace(/"[^"]*"|\w+\(\w*\)|\b(connect|send|write|accept|resetAndDestroy|SO_LINGER|SHUT_WR|EOF|RST|FIN|SYN|ECONNREFUSED|CLOSE_WAIT)\b/g, ''));
    expect(prose.join('\n')).not.toMatch(/[a-z]{3,}/);
    expect(exampleList()).toMatch(/^Example captures \(teardown analyze --example NAME\), each with its NAME\.expect\.json, in .*:\n  course-close-then-data  the course example: close\(\) before reading/);
    expect(exampleList('zh')).toMatch(/^示例抓包（teardown analyze --example NAME），各附 NAME\.expect\.json，位于 .*：\n  course-close-then-data  课程示例：先 close\(\) 再读取/);
    expect(exampleList('zh').split('\n').slice(1).join('\n')).not.toMatch(/\b(the|a|and|with|in|of)\b/);
  });

  it('the lab\'s notes when a run came out otherwise', () => {
    const flow = (t: Partial<FlowReport['teardown']>): FlowReport => ({ teardown: { class: 'graceful', detail: 'three-way', closer: 'client', trailingBytes: 0, causes: [], ...t } } as unknown as FlowReport);
    expect(labNote('graceful', SCENARIOS.graceful, [])).toBe('Note: no connection was captured on the scenario\'s port.');
    expect(labNote('graceful', SCENARIOS.graceful, [], 'zh')).toBe('注意：在该场景的端口上没有抓到连接。');
    const got = [flow({ class: 'abort', detail: 'established', trailingBytes: 3 })];
    expect(labNote('graceful', SCENARIOS.graceful, got)).toBe(
      'Note: this scenario is written to give graceful (four-way), closer client, but this run gave abort (established), closer client, 3 trailing bytes (timing on this machine); run it again.');
    expect(labNote('graceful', SCENARIOS.graceful, got, 'zh')).toBe(
      '注意：本场景本应得到 正常关闭，四次挥手（graceful / four-way），关闭方 客户端，但这次得到 中止，已建立的连接（abort / established），关闭方 客户端，FIN 之后的数据 3 字节（本机的时序所致）；请再运行一次。');
    expect(labNote('simultaneous', SCENARIOS.simultaneous, [flow({})], 'zh')).toMatch(/^注意：尽力而为：内核让两个 FIN 先后发出，所以判定是 正常关闭，三次挥手（graceful \/ three-way），关闭方 客户端，而不是同时关闭。在环回接口上/);
    expect(labNote('simultaneous', SCENARIOS.simultaneous, [flow({})])).toMatch(/^Note: best effort: the kernel serialised the FINs, so the verdict is graceful \(three-way\), closer client instead of simultaneous\. On loopback/);
  });
});
