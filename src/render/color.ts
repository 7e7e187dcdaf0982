import type { NoteTone } from './notes.js';

export type ColorMode = 'auto' | 'always' | 'never';

/** `auto` colours a terminal unless NO_COLOR is set (no-color.org); the flag wins over the variable. */
export function useColor(mode: ColorMode, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  return isTTY && !('NO_COLOR' in env && env['NO_COLOR'] !== '');
}

/** docs/contract.md, "Colours": FINs and their ACKs red, data after a FIN and its ACK yellow, RSTs inverse red. */
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
