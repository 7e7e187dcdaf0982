// Writes dist/teardown.1, the manual page, from the built command's own --help (the top level and
// each command's), so it says what the help says: run by `npm run build`; package.json's "man"
// installs it. The help is taken 72 columns wide (man indents it 7 in an 80-column terminal), and set as it is
// printed (no-fill); the sections a manual has and the help does not (environment, files, see
// also) are written here. Check it with: man -l dist/teardown.1 (or groff -man -Tutf8).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// `completion --help` prints the script itself (yargs'), so that command is written here.
const COMMANDS = ['analyze', 'live', 'lab', 'report', 'check', 'merge'];

/** `teardown ARGS --help` as a 72-column terminal would get it (yargs wraps to process.stdout.columns). */
async function help(args, columns = 72) {
  const code = `Object.defineProperty(process.stdout, 'columns', { value: ${columns} });
    const { main } = await import(${JSON.stringify(join(root, 'dist', 'cli', 'main.js'))});
    await main(${JSON.stringify([...args, '--help'])});`;
  // English whatever the builder's locale: LC_ALL and LC_MESSAGES would come before LANG (cli/lang.ts).
  const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8' });
  // The examples' directory is where the package is installed, not where it was built.
  return stdout.replaceAll(join(root, 'dist', 'examples'), '<package>/dist/examples').trimEnd();
}

/** Text for roff: backslashes escaped, a line that starts with a dot or quote kept as text, hyphens as minus signs. */
const roff = (text) =>
  text.split('\n').map((l) => l.replaceAll('\\', '\\e').replaceAll('-', '\\-').replace(/^([.'])/, '\\&$1')).join('\n');

/** A block of help as printed: no filling, no adjusting. */
const block = (text) => `.nf\n${roff(text)}\n.fi\n`;

// One process each, all at once: each prints its help and exits.
const [top, wide, ...commandHelp] = await Promise.all([help([]), help([], 1000), ...COMMANDS.map((c) => help([c]))]);
const intro = top.slice(0, top.indexOf('\nExamples:\n'));
// The examples and what follows them, unwrapped: each example becomes a tagged paragraph.
const epilog = wide.slice(wide.indexOf('\nExamples:\n') + '\nExamples:\n'.length);
const exitAt = epilog.indexOf('\nExit status:');
const examples = (exitAt >= 0 ? epilog.slice(0, exitAt) : epilog).split('\n\n');

/** `  COMMAND   what it shows` lines, a description alone on a line going with the command above. */
function exampleItems(text) {
  const items = [];
  for (const line of text.split('\n')) {
    const m = /^ {2}(\S.*?)(?: {2,}(\S.*))?$/.exec(line);
    if (m) items.push([m[1], m[2] ?? '']);
    else if (line.trim() && items.length) items[items.length - 1][1] = line.trim();
  }
  return items.flatMap(([command, what]) => ['.TP', `.B ${roff(command)}`, what ? roff(what) : '']).filter((l) => l !== '');
}
const page = [
  `.TH TEARDOWN 1 "" "teardown ${version}" "User Commands"`,
  '.SH NAME',
  'teardown \\- explains how TCP connections close',
  '.SH SYNOPSIS',
  ...COMMANDS.flatMap((c) => ['.B teardown', `.I ${c}`, '[options]', '.br']),
  '.B teardown completion',
  '.SH DESCRIPTION',
  'teardown reads pcap and pcapng captures (or a live interface through tcpdump), rebuilds each TCP',
  'connection, tracks both endpoints\' states and explains how each connection closed.',
  '.PP',
  block(intro).trimEnd(),
  '.SH COMMANDS',
  ...COMMANDS.flatMap((c, i) => [`.SS ${c}`, block(commandHelp[i] ?? '').trimEnd()]),
  '.SS completion',
  'Prints a completion script for bash (for zsh when SHELL names zsh) that completes commands,',
  'options and their choices by asking teardown itself. Install it with',
  '.B teardown completion >> ~/.bashrc',
  '(or ~/.zshrc) and open a new shell.',
  '.SH EXAMPLES',
  ...exampleItems(examples[0] ?? ''),
  '.PP',
  ...examples.slice(1).map((p) => roff(p.replace(/^ +/gm, ''))),
  '.SH EXIT STATUS',
  roff(exitAt >= 0 ? epilog.slice(exitAt + 1).replace(/^Exit status: /, '') : ''),
  '.SH ENVIRONMENT',
  '.TP',
  '.B LANG',
  'a value starting with zh makes Chinese the default language (\\-\\-lang).',
  '.TP',
  '.B FORCE_COLOR',
  'colour under \\-\\-color auto even into a file or a pipe (0 or false: no colour).',
  '.TP',
  '.B NO_COLOR',
  'set and not empty: no colour under \\-\\-color auto.',
  '.TP',
  '.B TERM',
  'dumb: no colour under \\-\\-color auto.',
  '.SH FILES',
  '.TP',
  '.I <package>/dist/teardown.schema.json',
  'the JSON Schema (draft 2020\\-12) of \\-\\-format json and ndjson.',
  '.TP',
  '.I <package>/dist/examples/',
  'the example captures that \\-\\-example names, each with its expectation file.',
  '.SH SEE ALSO',
  '.BR tcpdump (1),',
  '.BR tshark (1),',
  '.BR ss (8),',
  '.BR tcp (7)',
  '',
].join('\n');
writeFileSync(join(root, 'dist', 'teardown.1'), page);
