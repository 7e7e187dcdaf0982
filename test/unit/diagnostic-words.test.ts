import { describe, expect, it } from 'vitest';
import { damageLine, rowsCutLine } from '../../src/cli/commands/analyze.js';
import { selectionProblems } from '../../src/cli/view.js';
import type { Picks } from '../../src/cli/view.js';
import { skippedLines } from '../../src/render/text.js';
import { viaText } from '../../src/render/via.js';
import { DIAGNOSTIC_WORDS } from '../../src/render/diagnostic-words.js';
import type { Report } from '../../src/analysis/report.js';

/** A selection with the given picks and no others. */
const picks = (o: Partial<Picks>): Picks => ({ flow: undefined, port: undefined, host: undefined, class: undefined, ...o });

/**
 * The diagnostics on standard error, the fragments line and the tunnel in the heading, in each
 * language (render/diagnostic-words.ts, labels.ts, via.ts): English as it was, Chinese with no
 * English word of ours (file names, options, signals and a reader's message stay as they are).
 */
describe('diagnostics in each language', () => {
  const damage = { file: 'x.pcap', offset: 1234, packet: 7, message: 'truncated record' };

  it('a damaged capture, the row budget, an interrupted input, the progress line', () => {
    expect(damageLine(damage)).toBe('x.pcap: damaged at byte offset 1234 (packet 7): truncated record; the packets before it were analysed');
    expect(damageLine(damage, 'zh')).toBe('x.pcap：在字节偏移 1234（分组 7）处损坏：truncated record；此前的分组已分析');
    expect(rowsCutLine(50)).toBe('teardown: packet rows were kept for the first 50 packets only (the row budget, about 256 MB); the verdicts cover every packet. A connection\'s rows: --flow N; verdicts only: --no-packets\n');
    expect(rowsCutLine(50, 'zh')).toBe('teardown: 只保留了前 50 个分组的分组行（行预算，约 256 MB）；判定涵盖每个分组。查看某个连接的分组行：--flow N；只看判定：--no-packets\n');
    expect(DIAGNOSTIC_WORDS.en.interrupted('SIGINT', 9)).toBe('interrupted (SIGINT): the input ended there; the 9 packets read before it were analysed');
    expect(DIAGNOSTIC_WORDS.zh.interrupted('SIGINT', 9)).toBe('已中断（SIGINT）：输入到此结束；此前读到的 9 个分组已分析');
    expect(DIAGNOSTIC_WORDS.en.progress('70', '700', '10', 85, 12)).toBe('70 MB of 700 MB (10 %), 85 k packets/s, about 12 s left');
    expect(DIAGNOSTIC_WORDS.zh.progress('70', '700', '10', 85, 12)).toBe('已读 70 MB / 700 MB（10 %），每秒 85 千个分组，约剩 12 秒');
  });

  it('a selection that picks nothing: --flow past the end, no match', () => {
    expect(selectionProblems(picks({ flow: [99] }), 6, 0)).toEqual(['no connection 99: the capture has 6 connections, numbered 1 to 6']);
    expect(selectionProblems(picks({ flow: [99] }), 6, 0, 'zh')).toEqual(['没有连接 99：抓包中有 6 个连接，编号 1 到 6']);
    expect(selectionProblems(picks({ flow: [2] }), 0, 0, 'zh')).toEqual(['没有连接 2：抓包中有 0 个连接']);
    expect(selectionProblems(picks({ class: ['stuck'] }), 1, 0)).toEqual(['no connection matches --class stuck (the capture has 1 connection)']);
    expect(selectionProblems(picks({ class: ['stuck'] }), 1, 0, 'zh')).toEqual(['没有连接匹配 --class stuck（抓包中有 1 个连接）']);
  });

  it('the IP fragments line and the tunnel a connection came through', () => {
    const capture = { dropped: 0, skipped: {}, packets: 10, linkTypes: [1], reassembled: 1, fragmentsDropped: 2 } as unknown as Report['capture'];
    expect(skippedLines(capture)).toEqual(['IP fragments: 1 datagram reassembled, 2 fragments dropped']);
    expect(skippedLines(capture, 'zh')).toEqual(['IP 分片：重组了 1 个数据报，丢弃 2 个分片']);
    expect(skippedLines({ ...capture, reassembled: 3, fragmentsDropped: 0 }, 'zh')).toEqual(['IP 分片：重组了 3 个数据报']);
    const via = { type: 'vxlan' as const, id: 42, outer: { src: '10.0.0.5', dst: '10.0.0.6' } };
    expect(viaText(via)).toBe('inside VXLAN VNI 42 between 10.0.0.5 and 10.0.0.6');
    expect(viaText(via, 'zh')).toBe('经由 VXLAN VNI 42 隧道（10.0.0.5 与 10.0.0.6 之间）');
  });
});
