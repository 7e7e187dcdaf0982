/**
 * The language in force (docs/contract.md, "Common options"): `--lang` as typed on the command
 * line, else the environment's. It is known before yargs reads the options, so that the help, the
 * usage errors found while reading them and an error of a command that takes no `--lang`
 * (`completion`) are in the same language as the report would be.
 */
import type { Lang } from '../render/notes.js';

/**
 * The environment's language, as POSIX takes a locale for messages: the first of LC_ALL,
 * LC_MESSAGES and LANG that is set and not empty; Chinese when it starts with zh (zh_CN.UTF-8,
 * zh_TW), else English. yargs picks its own words from the same variables.
 */
export function defaultLang(env: NodeJS.ProcessEnv): Lang {
  const locale = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((v) => v !== undefined && v !== '') ?? '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/**
 * `--lang en|zh` (or `--lang=zh`) anywhere before `--`, the last one given winning as yargs takes
 * it; else the environment's. A value that is neither is left to yargs to refuse.
 */
export function langOf(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  let lang = defaultLang(env);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') break;
    const value = word === '--lang' ? argv[i + 1] : word.startsWith('--lang=') ? word.slice('--lang='.length) : undefined;
    if (value === 'en' || value === 'zh') lang = value;
  }
  return lang;
}
