// Writes src/flow/store-columns.generated.ts from the connection facts declared in
// src/flow/schema.ts (read from its build, dist/flow/schema.js): the store's columns, their reset
// and growth, the presence bits and list numbers, and the getters of the connection view.
//
// Usage: npm run generate            (builds, then writes the file)
//        node scripts/generate-store.mjs --check   (exit 1 when the committed file is stale: the build runs this)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src', 'flow', 'store-columns.generated.ts');
const { CONNECTION_FACTS } = await import(pathToFileURL(join(root, 'dist', 'flow', 'schema.js')).href);

const ARRAY = { u8: 'Uint8Array', u16: 'Uint16Array', u32: 'Uint32Array', i32: 'Int32Array', f32: 'Float32Array', f64: 'Float64Array' };
const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
const cap = (name) => name[0].toUpperCase() + name.slice(1);
const doc = (text, indent = '  ') => `${indent}/** ${text} */`;

/**
 * The columns, in declaration order: [name, array type, per (1 slot, 2 side, 'list'), reset value
 * (null: not reset on reuse, see Fact.setOnCreate), doc].
 */
const columns = [];
const presence = [];
const lists = [];
const flagBits = [];
for (const f of CONNECTION_FACTS) {
  const per = f.per === 'side' ? 2 : 1;
  switch (f.kind) {
    case 'number': columns.push([f.name, ARRAY[f.type], per, f.setOnCreate ? null : 0, f.doc]); break;
    case 'packet': columns.push([f.name, 'Float64Array', per, 0, `${f.doc} 0: none (packets count from 1).`]); break;
    case 'seq':
      columns.push([f.name, 'Uint32Array', per, null, `${f.doc} Set when ${snake(f.name)}_SET is in sideFlags.`]);
      presence.push([`${snake(f.name)}_SET`, f.name]);
      break;
    case 'time':
      // Not reset: set on create (a connection's), or read only under its presence bit (a side's).
      columns.push([`${f.name}Sec`, 'Float64Array', per, null, `${f.doc} Whole seconds.`]);
      columns.push([`${f.name}Nsec`, 'Int32Array', per, null, 'Its nanoseconds.']);
      if (f.per === 'side') presence.push([`${snake(f.name)}_TIME_SET`, `${f.name}Time`]);
      break;
    case 'state': columns.push([f.name, 'Uint8Array', per, 0, `${f.doc} An index into TCP_STATES.`]); break;
    case 'flags':
      columns.push([f.name, 'Uint8Array', per, 0, f.doc]);
      if (f.bits.length > 8) throw new Error(`${f.name}: more than 8 bits`);
      f.bits.forEach((b, i) => flagBits.push([b, i, f.name]));
      break;
    case 'history':
      columns.push([`${f.name}Mask`, 'Uint16Array', per, 0, `${f.doc} The letters seen, as bits.`]);
      columns.push([`${f.name}Seq`, 'Float64Array', per, 0, 'The letters in order, as base-16 digits (history.ts).']);
      break;
    case 'list': lists.push(f); break;
    default: throw new Error(`${f.name}: unknown kind ${f.kind}`);
  }
}
if (presence.length > 16) throw new Error('more than 16 presence bits: sideFlags is a Uint16Array');
columns.push(['sideFlags', 'Uint16Array', 2, 0, 'Which of the side\'s optional sequence numbers and times are set (the *_SET bits).']);
columns.push(['listCount', 'Uint8Array', 'list', 0, 'The length of each packet list.']);
columns.push(['listFirst', 'Float64Array', 'list', null, 'The first packet number of each list (longer lists: ConnectionStore.list); read only when listCount says it is there.']);

const out = [];
const w = (s = '') => out.push(s);
w('// Generated from src/flow/schema.ts by scripts/generate-store.mjs (`npm run generate`): do not edit.');
w("import type { TcpState } from '../tcp/states.js';");
w("import { TCP_STATES } from '../tcp/states.js';");
w("import type { Instant } from './connection.js';");
w("import { grown } from './grown.js';");
w("import { historyText } from './history.js';");
w();
w('/**');
w(' * The numbers the columns are read with, as one const enum: tsc writes each member into the code');
w(' * that uses it as a number literal. An imported `const` is read from its module\'s cell, with a');
w(' * check that it is initialised, at every use: on the packet path (analysis/track.ts) those loads');
w(' * were about a tenth of its instructions (docs/performance.md, "Constants").');
w(' */');
w('export const enum K {');
w("  // The bits of the flags columns (`flags` a connection's, `causeBits` a side's).");
flagBits.forEach(([b, i, column]) => w(`  ${snake(b)} = ${1 << i}, // ${column}`));
w("  // A side's presence bits (the `sideFlags` column): which optional facts are set.");
presence.forEach(([bit], i) => w(`  ${bit} = ${1 << i},`));
w("  // A side's packet lists: list `l` of the side at cell `c` is at list cell `c * LISTS + l`.");
lists.forEach((f, i) => w(`  ${snake(f.name)} = ${i},`));
w(`  LISTS = ${lists.length},`);
w('}');
w();
w('/**');
w(' * The columns of the connection store: a fact of connection `slot` is at [slot], a side\'s at');
w(' * [slot * 2 + side] (0 client, 1 server), a side\'s packet list at [(slot * 2 + side) * LISTS + list].');
w(' */');
w('export class StoreColumns {');
for (const [name, type, , , text] of columns) {
  w(doc(text));
  w(`  ${name} = new ${type}(0);`);
}
w();
w('  /**');
w('   * Every column of `slot` a reused slot must not keep, back to its reset value (0). Not reset: what a');
w('   * new connection always writes (schema.ts, setOnCreate), and what is read only when a presence bit');
w('   * (sideFlags) or a list length (listCount) says it is set. A slot never used is all 0 already');
w('   * (ConnectionStore.allocate does not call this for it).');
w('   */');
w('  protected resetColumns(slot: number): void {');
w('    const client = slot * 2;');
w('    const server = client + 1;');
for (const [name, , per, reset] of columns) {
  if (reset === null) continue;
  if (per === 1) w(`    this.${name}[slot] = ${reset};`);
  else if (per === 2) {
    w(`    this.${name}[client] = ${reset};`);
    w(`    this.${name}[server] = ${reset};`);
  }
}
w('    for (let l = client * K.LISTS; l < (server + 1) * K.LISTS; l++) this.listCount[l] = 0;');
w('  }');
w();
w('  /** Every column made `slots` connections long, what is there kept. */');
w('  protected growColumns(slots: number): void {');
for (const [name, , per] of columns) w(`    this.${name} = grown(this.${name}, slots${per === 1 ? '' : per === 2 ? ' * 2' : ' * 2 * K.LISTS'});`);
w('  }');
w('}');
w();
w('/** What the views read lists through (ConnectionStore). */');
w('export interface ListColumns extends StoreColumns {');
w('  list(at: number): readonly number[];');
w('  listLength(at: number): number;');
w('}');
w();
w('const packetNo = (n: number): number | undefined => (n === 0 ? undefined : n);');
w();
w('/** The getters of a connection\'s own facts (view.ts adds the rest). */');
w('export abstract class ConnectionFacts {');
w('  abstract readonly store: ListColumns;');
w('  abstract slot: number;');
for (const f of CONNECTION_FACTS) {
  if (f.per !== 'connection' || f.internal) continue;
  w();
  switch (f.kind) {
    case 'number': w(doc(f.doc)); w(`  get ${f.name}(): number { return this.store.${f.name}[this.slot] as number; }`); break;
    case 'packet': w(doc(f.doc)); w(`  get ${f.name}(): number | undefined { return packetNo(this.store.${f.name}[this.slot] as number); }`); break;
    case 'time':
      w(doc(f.doc + ' A copy.'));
      w(`  get ${f.name}Time(): Instant { return { sec: this.store.${f.name}Sec[this.slot] as number, nsec: this.store.${f.name}Nsec[this.slot] as number }; }`);
      w();
      w('  /** Its whole seconds and nanoseconds, for the code that reads it per connection without making an Instant. */');
      w(`  get ${f.name}Sec(): number { return this.store.${f.name}Sec[this.slot] as number; }`);
      w();
      w(`  get ${f.name}Nsec(): number { return this.store.${f.name}Nsec[this.slot] as number; }`);
      break;
    case 'flags':
      f.bits.forEach((b, i) => {
        if (i > 0) w();
        w(`  get ${b}(): boolean { return ((this.store.${f.name}[this.slot] as number) & K.${snake(b)}) !== 0; }`);
      });
      break;
    case 'history': w(doc(f.doc)); w(`  get ${f.name}(): string { return historyText(this.store.${f.name}Seq[this.slot] as number); }`); break;
    default: throw new Error(`${f.name}: no getter for a connection's ${f.kind}`);
  }
}
w('}');
w();
w('/** The getters of one side\'s facts (view.ts adds its address and port). */');
w('export abstract class SideFacts {');
w('  abstract readonly store: ListColumns;');
w('  /** slot * 2 + side. */');
w('  abstract readonly cell: number;');
w();
w('  private has(bit: number): boolean { return ((this.store.sideFlags[this.cell] as number) & bit) !== 0; }');
for (const f of CONNECTION_FACTS) {
  if (f.per !== 'side' || f.internal) continue;
  w();
  w(doc(f.doc));
  switch (f.kind) {
    case 'number': w(`  get ${f.name}(): number { return this.store.${f.name}[this.cell] as number; }`); break;
    case 'packet': w(`  get ${f.name}(): number | undefined { return packetNo(this.store.${f.name}[this.cell] as number); }`); break;
    case 'seq': w(`  get ${f.name}(): number | undefined { return this.has(K.${snake(f.name)}_SET) ? (this.store.${f.name}[this.cell] as number) : undefined; }`); break;
    case 'time':
      w(`  get ${f.name}Time(): Instant | undefined {`);
      w(`    return this.has(K.${snake(f.name)}_TIME_SET) ? { sec: this.store.${f.name}Sec[this.cell] as number, nsec: this.store.${f.name}Nsec[this.cell] as number } : undefined;`);
      w('  }');
      break;
    case 'state': w(`  get ${f.name}(): TcpState { return TCP_STATES[this.store.${f.name}[this.cell] as number] ?? 'CLOSED'; }`); break;
    case 'flags':
      f.bits.forEach((b, i) => {
        if (i > 0) w();
        w(`  get ${b}(): boolean { return ((this.store.${f.name}[this.cell] as number) & K.${snake(b)}) !== 0; }`);
      });
      break;
    case 'list':
      w(`  get ${f.name}(): readonly number[] { return this.store.list(this.cell * K.LISTS + K.${snake(f.name)}); }`);
      w();
      w(`  /** How many packets ${f.name} holds, without building the list. */`);
      w(`  get ${f.name}Count(): number { return this.store.listLength(this.cell * K.LISTS + K.${snake(f.name)}); }`);
      w();
      w(`  /** The first packet of ${f.name}, without building the list; undefined when it is empty. */`);
      w(`  get ${f.name}First(): number | undefined { const at = this.cell * K.LISTS + K.${snake(f.name)}; return (this.store.listCount[at] as number) > 0 ? (this.store.listFirst[at] as number) : undefined; }`);
      break;
    default: throw new Error(`${f.name}: no getter for a side's ${f.kind}`);
  }
}
w('}');

const text = out.join('\n') + '\n';
if (process.argv.includes('--check')) {
  let old = '';
  try { old = readFileSync(target, 'utf8'); } catch { /* missing: stale */ }
  if (old !== text) {
    console.error('src/flow/store-columns.generated.ts is not what src/flow/schema.ts declares: run `npm run generate`');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target.replace(root + '/', '')}: ${columns.length} columns`);
}
