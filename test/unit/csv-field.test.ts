import { describe, expect, it } from 'vitest';
import { writeCsvField } from '../../src/render/csv.js';
import { ByteLines } from '../../src/render/byte-lines.js';

/** RFC 4180's rule as text: quoted only when it must be, its quotes doubled. */
const rfc4180 = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

describe('writeCsvField (csv.ts): a field as RFC 4180 writes it, from UTF-8 bytes', () => {
  it.each([
    'The client closed first.',
    '',
    'a, b',
    'he said "bye"',
    '"',
    '""',
    'line\r\nbreak',
    'only\nLF',
    'end quote"',
    '客户端先调用了 close()，随后服务器发来 3 字节。',
    '客户端发送了 "Exit", 然后关闭',
  ])('%j', (text) => {
    const out = new ByteLines();
    writeCsvField(out, Buffer.from(text, 'utf8'));
    expect(out.text()).toBe(rfc4180(text));
  });
});
