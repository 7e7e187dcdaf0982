/**
 * Text from outside (a file name, an expectation file's field names and values) printed to a
 * terminal: control characters shown escaped, so that a name cannot move the cursor, recolour the
 * screen, set the window title or forge a line (an ESC sequence, a C1 CSI, a newline). JSON output
 * needs none of this: JSON escapes C0 controls itself, and a program, not a terminal, reads it.
 */

/**
 * C0 controls (tab and newline too: every line printed is one line), DEL, C1 controls, the line and
 * paragraph separators and the bidirectional overrides and isolates (text that reads differently
 * from what it holds).
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string): string => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** `s` with every control character shown as `\x1b` (or `\u202e`); other text as it is. */
export function terminalSafe(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, escapeOne) : s;
}

/**
 * A file name that is not UTF-8 (Linux names are bytes, and Node would decode this one with
 * replacement characters, a name that then names no file): printable ASCII as it is, every other
 * byte as `\xff`.
 */
export function bytesName(name: Uint8Array): string {
  let out = '';
  for (const byte of name) out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return out;
}
