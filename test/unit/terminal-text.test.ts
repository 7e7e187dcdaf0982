import { describe, expect, it } from 'vitest';
import { bytesName, terminalSafe } from '../../src/cli/terminal-text.js';

describe('text from files made safe for a terminal (src/cli/terminal-text.ts)', () => {
  it('leaves ordinary text, CJK and emoji as they are', () => {
    for (const s of ['fixtures/lab-mixed.pcap', '连接 → 服务器', 'naïve 🙂', '']) expect(terminalSafe(s)).toBe(s);
  });

  it('escapes C0 controls (ESC, BEL, newline, tab), DEL and C1 controls (CSI, OSC)', () => {
    expect(terminalSafe('a\x1b[31mred\x1b[0m')).toBe('a\\x1b[31mred\\x1b[0m');
    expect(terminalSafe('\x1b]0;title\x07')).toBe('\\x1b]0;title\\x07');
    expect(terminalSafe('one\ntwo\rthree\tfour\x00\x7f')).toBe('one\\x0atwo\\x0dthree\\x09four\\x00\\x7f');
    expect(terminalSafe('\u009b2J\u009d0;t\u009c\u0085')).toBe('\\x9b2J\\x9d0;t\\x9c\\x85');
  });

  it('escapes line separators and bidirectional overrides', () => {
    expect(terminalSafe('a\u2028b\u202eexe.pcap\u2066')).toBe('a\\u2028b\\u202eexe.pcap\\u2066');
  });

  it('a name that is not UTF-8: printable ASCII as it is, other bytes as \\xNN', () => {
    expect(bytesName(Buffer.from([0x61, 0xff, 0x2e, 0x70, 0x63, 0x61, 0x70]))).toBe('a\\xff.pcap');
    expect(bytesName(Buffer.from([0x1b, 0xc3, 0xa9, 0x20]))).toBe('\\x1b\\xc3\\xa9 ');
  });
});
