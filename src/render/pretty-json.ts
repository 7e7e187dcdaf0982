/**
 * Compact JSON laid out as `JSON.stringify(value, null, 2)` lays it out, without parsing it: the
 * json document's flows (json-columns.ts, JsonDocument) from their compact lines, which the one
 * flow writer makes exactly as JSON.stringify would (test/unit/json-columns.test.ts), so only the
 * whitespace differs. Parsing each line back into objects to stringify them again was more than
 * half of a `--format json` run (docs/performance.md, "What makes it fast").
 */
import type { ByteLines } from './byte-lines.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const NEWLINE = 0x0a;
const SPACE = 0x20;

/** Spaces for an indent (a flow's packets' fields, the deepest, are 10 from the document's start). */
const SPACES = new Uint8Array(256).fill(SPACE);

/** Bytes that end a number or a literal (true, false, null). */
const endsValue = (ch: number): boolean => ch === COMMA || ch === CLOSE_OBJECT || ch === CLOSE_ARRAY || ch <= SPACE;

/**
 * Appends `json` (one compact value, a trailing newline ignored) as JSON.stringify(value, null, 2)
 * writes it, each line after the first indented `indent` more spaces (as `.replaceAll('\n', '\n'
 * + indent)` does). `flush` is called between values once `out` holds `flushAt` bytes or more, so
 * that a connection with many packet rows is not laid out whole in memory.
 */
export function writePrettyJson(out: ByteLines, json: Uint8Array, indent: number, flush?: () => void, flushAt = Infinity): void {
  let depth = indent;
  const n = json.length;
  for (let i = 0; i < n; i++) {
    const ch = json[i] as number;
    if (ch === QUOTE) {
      let j = i + 1;
      while (j < n && json[j] !== QUOTE) j += json[j] === BACKSLASH ? 2 : 1;
      out.range(json, i, j + 1);
      i = j;
    } else if (ch === OPEN_OBJECT || ch === OPEN_ARRAY) {
      const close = ch === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
      out.byte(ch);
      if (json[i + 1] === close) {
        out.byte(close);
        i++;
      } else {
        depth += 2;
        newline(out, depth);
      }
    } else if (ch === CLOSE_OBJECT || ch === CLOSE_ARRAY) {
      depth -= 2;
      newline(out, depth);
      out.byte(ch);
    } else if (ch === COMMA) {
      out.byte(COMMA);
      if (flush !== undefined && out.length >= flushAt) flush();
      newline(out, depth);
    } else if (ch === COLON) {
      out.byte(COLON);
      out.byte(SPACE);
    } else if (ch > SPACE) {
      let j = i + 1;
      while (j < n && !endsValue(json[j] as number)) j++;
      out.range(json, i, j);
      i = j - 1;
    }
  }
}

function newline(out: ByteLines, depth: number): void {
  out.byte(NEWLINE);
  for (let left = depth; left > 0; left -= SPACES.length) out.range(SPACES, 0, Math.min(left, SPACES.length));
}
