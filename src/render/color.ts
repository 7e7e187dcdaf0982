import type { NoteTone } from './notes.js';

export type ColorMode = 'auto' | 'always' | 'never';

/**
 * Whether to colour (docs/contract.md, "Colours"): the flag wins; under `auto`, in the order Node's
 * own tty.getColorDepth reads them, FORCE_COLOR (set: on, `0` or `false`: off, even into a pipe),
 * then NO_COLOR (no-color.org: set and not empty, off), then TERM=dumb (off), then whether the
 * output is a terminal.
 */
export function useColor(mode: ColorMode, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return isTTY;
}

/**
 * docs/contract.md, "Colours": FINs and their ACKs red, data after a FIN and its ACK yellow, RSTs
 * inverse red. SGR codes of our own rather than util.styleText: styleText ends each style with its
 * own reset (`\x1b[39m`, `\x1b[27m`), not `\x1b[0m`, so coloured output would change byte for byte,
 * and newer Node versions drop its colour on a stream it does not judge a terminal, where `--color always`
 * and FORCE_COLOR ask for it.
 */
const TONE_CODES: Record<NoteTone, string> = {
  plain: '',
  fin: '\x1b[31m',
  trailing: '\x1b[33m',
  rst: '\x1b[7;31m',
};

export function paint(text: string, tone: NoteTone, on: boolean): string {
  const code = TONE_CODES[tone];
  return on && code ? `${code}${text}\x1b[0m` : text;
}

/** Bold text starts with BOLD and ends with RESET. */
export const BOLD = '\x1b[1m';
export const RESET = '\x1b[0m';

export const bold = (text: string, on: boolean): string => (on ? `${BOLD}${text}${RESET}` : text);
