import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/lab/names.js';
import { EXAMPLE_CAPTURES } from '../../src/cli/example-captures.js';
import { CLI, ROOT } from '../golden/run-cli.js';

/**
 * The package as a user gets it: `npm pack`, then `npm install <tarball>` into an empty directory,
 * then the installed `teardown` run from there, away from the repository (README.md, "Set-up").
 * The empty directory is a copy of the example library consumer (examples/library/): the same
 * install gives it the package, and it is type-checked against the package's declarations, built
 * and run. One pack and one install for the whole file (its own dependencies, TypeScript and Node's
 * types, are the repository's: --omit=dev); the install takes the package's dependencies from npm's
 * cache when `npm ci` has filled it (--prefer-offline), else from the registry.
 *
 * The pack skips the prepack build (--ignore-scripts): `npm test` has just built dist/, and
 * rebuilding it here would rewrite the files the other test files are running at the same moment.
 * That the prepack script is the build is checked on package.json.
 */
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string; version: string; scripts: Record<string, string>; files: string[];
  bin: Record<string, string>; exports: Record<string, string | { types: string; import: string }>;
};
const EXAMPLE = join(ROOT, 'examples', 'library');
const work = mkdtempSync(join(tmpdir(), 'teardown-package-'));
const app = join(work, 'app');
const bin = join(app, 'node_modules', '.bin', 'teardown');
let packed: string[] = [];
let tarball = '';

/**
 * The environment npm runs in here: without what `npm test` exported about this repository
 * (npm_package_*, npm_lifecycle_*, its local prefix), which would point the install back at it;
 * the cache, registry and proxy settings stay.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The installed command, run from the empty directory, as the golden files were made (no colour, English). */
function teardown(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, { cwd: app, env: { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' }, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build first (npm test does)');
  const [pack] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (pack === undefined) throw new Error('npm pack wrote no tarball');
  packed = pack.files.map((f) => f.path);
  tarball = pack.filename;
  mkdirSync(app);
  for (const f of ['package.json', 'tsconfig.json', 'flows.ts']) copyFileSync(join(EXAMPLE, f), join(app, f));
  npm(['install', '--prefix', app, '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', join(work, pack.filename)], app);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package, installed elsewhere (README.md, "Set-up")', () => {
  it('carries the build, the licence and the example captures, and npm pack builds first', () => {
    expect(pkg.scripts['prepack']).toBe('npm run build');
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'dist/teardown.schema.json', 'dist/teardown.1']));
    for (const { name } of EXAMPLE_CAPTURES) expect(packed).toEqual(expect.arrayContaining([`dist/examples/${name}.pcap`, `dist/examples/${name}.expect.json`]));
    expect(readFileSync(join(app, 'node_modules', pkg.name, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the teardown authors\n/);
  });

  it('is published as tcp-teardown, its command still teardown, with typed entry points that are packed', () => {
    expect(pkg.name).toBe('tcp-teardown');
    expect(Object.keys(pkg.bin)).toEqual(['teardown']);
    // The example depends on the tarball `npm pack` makes in the repository (examples/library/README.md).
    const example = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(example.dependencies).toEqual({ [pkg.name]: `file:../../${tarball}` });
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './render/json', './render/ladder', './render/html']));
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(packed).toEqual(expect.arrayContaining([target.types.slice(2), target.import.slice(2)]));
    }
  });

  it('the example library consumer type-checks against the packed declarations, builds, and prints each connection\'s verdict', () => {
    // The repository's TypeScript and Node types: the example lists them as its devDependencies.
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app, '--typeRoots', join(ROOT, 'node_modules', '@types')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const run = (args: string[]) => spawnSync(process.execPath, [join(app, 'dist', 'flows.js'), ...args], { cwd: app, encoding: 'utf8' });
    // The connections of the shipped capture, as the golden JSON of the same fixture gives them.
    const golden = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'lab-mixed.json'), 'utf8')) as { flows: Array<{ id: number; client: { ip: string; port: number }; server: { ip: string; port: number }; teardown: { class: string; detail: string | null } }> };
    const expected = golden.flows.map((f) => `#${f.id} ${f.client.ip}:${f.client.port} -> ${f.server.ip}:${f.server.port}: ${f.teardown.class}${f.teardown.detail === null ? '' : ` (${f.teardown.detail})`}`);
    const shipped = join(app, 'node_modules', pkg.name, 'dist', 'examples', 'lab-mixed.pcap');
    const plain = run([]);
    expect({ stdout: plain.stdout, stderr: plain.stderr, code: plain.status }).toEqual({ stdout: [...expected, `6 connections in ${shipped}`, ''].join('\n'), stderr: '', code: 0 });
    // Its ladders are the installed command's, line for line; its page is the report's.
    const page = join(work, 'example.html');
    const drawn = run(['--ladder', '--html', page]);
    expect(drawn.status, drawn.stderr).toBe(0);
    const ladders = teardown(['analyze', '--example', 'lab-mixed', '--ladder', '--color', 'never']).stdout;
    const lines = drawn.stdout.split('\n').filter((l) => l.startsWith('  ') && /[│─]/.test(l)).map((l) => l.slice(2));
    expect(lines.length).toBeGreaterThan(60);
    for (const line of lines) expect(ladders).toContain(line);
    expect(readFileSync(page, 'utf8')).toMatch(/^<!doctype html>[^]*id="flow-6"/i);
    // What the exports map leaves out is not reachable: the entry points are the API.
    const deep = spawnSync(process.execPath, ['--input-type=module', '-e', "import('tcp-teardown/dist/index.js').catch((e) => console.log(e.code))"], { cwd: app, encoding: 'utf8' });
    expect(deep.stdout).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED\n');
  });

  it('teardown --version prints the package version', () => {
    expect(teardown(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it.each(['course-close-then-data', 'course-half-close'])('teardown analyze --example %s prints the golden output of that fixture', (name) => {
    const golden = readFileSync(join(ROOT, 'fixtures', `${name}.txt`), 'utf8');
    expect(teardown(['analyze', '--example', name, '--color', 'never'])).toEqual({ code: 0, stdout: golden, stderr: '' });
  });

  it('teardown analyze --example list names every example and the installed directory', () => {
    const r = teardown(['analyze', '--example', 'list']);
    expect(r.code).toBe(0);
    const dir = join(app, 'node_modules', pkg.name, 'dist', 'examples');
    expect(r.stdout.split('\n')[0]).toContain(`in ${dir}:`);
    for (const { name } of EXAMPLE_CAPTURES) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    // The examples' expectation files hold.
    const check = teardown(['check', dir]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(new RegExp(`^check: ${EXAMPLE_CAPTURES.length} captures, \\d+ connections, 0 mismatches$`, 'm'));
  });

  it('every example of --help that needs no root runs as it stands, from anywhere', () => {
    const help = teardown(['--help']).stdout;
    const examples = help.slice(help.indexOf('\nExamples:\n'), help.indexOf('\nExample captures'));
    const commands = [...examples.matchAll(/^ {2}teardown ((?:analyze|report|check|annotate|lab --list)\S*(?: \S+)*)/gm)].map((m) => m[1] ?? '');
    expect(commands.length).toBeGreaterThanOrEqual(6);
    expect(commands).toContain(`check ${join(app, 'node_modules', pkg.name, 'dist', 'examples')}`);
    for (const command of commands) expect({ command, code: teardown(command.split(' ')).code }).toEqual({ command, code: 0 });
  });

  it('teardown report --example writes the page', () => {
    const page = join(work, 'report.html');
    expect(teardown(['report', '--example', 'lab-mixed', '-o', page])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(page, 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('teardown lab --list names every scenario, as the repository build does', () => {
    const r = teardown(['lab', '--list']);
    expect(r.code).toBe(0);
    for (const name of SCENARIO_NAMES) expect(r.stdout).toMatch(new RegExp(`^${name} `, 'm'));
    expect(r.stdout).toBe(spawnSync(process.execPath, [CLI, 'lab', '--list'], { encoding: 'utf8' }).stdout);
  });
});
