import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { statsLine, stuckWarnings } from '../../src/cli/commands/live.js';
import { LIVE_WORDS } from '../../src/render/live-words.js';
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
});
