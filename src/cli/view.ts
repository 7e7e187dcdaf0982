import { BlockList, isIP } from 'node:net';
import type { TeardownClass } from '../analysis/verdict-keys.js';
import type { Endpoint } from '../flow/connection.js';
import { DIAGNOSTIC_WORDS } from '../render/diagnostic-words.js';
import type { Lang } from '../render/notes.js';
import { message } from './messages.js';
import type { Wording } from './messages.js';

/** The selection options (docs/contract.md, "Selection"). */
export interface Picks {
  /** --flow: connection numbers. */
  flow: number[] | undefined;
  /** --port: ports either end uses. */
  port: number[] | undefined;
  /** --host: addresses, or ADDRESS/PREFIX. */
  host: string[] | undefined;
  /** --class: verdict classes. */
  class: TeardownClass[] | undefined;
}

type Picked = { id: number; client: Pick<Endpoint, 'ip' | 'port'>; server: Pick<Endpoint, 'ip' | 'port'> };

/** Whether any selection option was given. */
export function selecting(o: Picks): boolean {
  return Boolean(o.flow?.length || o.port?.length || o.host?.length || o.class?.length);
}

/**
 * `--flow`, `--port` and `--host`: what a connection's first packet tells, so its rows can be kept
 * from the start; with none of them, all. `f` is a report or a connection view.
 */
export function picked(f: Picked, o: Picks): boolean {
  if (o.flow?.length && !o.flow.includes(f.id)) return false;
  if (o.port?.length && !o.port.includes(f.client.port) && !o.port.includes(f.server.port)) return false;
  if (o.host?.length) {
    const hosts = hostList(o.host);
    if (!hosts.check(f.client.ip, family(f.client.ip)) && !hosts.check(f.server.ip, family(f.server.ip))) return false;
  }
  return true;
}

/**
 * A TCP packet in no connection (docs/contract.md, "TCP packets in no connection"), by its two
 * endpoints: as a connection on them would be by `--port` and `--host`; never under `--flow` or
 * `--class`, which name connections.
 */
export function pickedPacket(src: Endpoint, dst: Endpoint, o: Picks): boolean {
  if (o.flow?.length || o.class?.length) return false;
  return picked({ id: 0, client: src, server: dst }, o);
}

/** Picked, and of a class `--class` names: known once the connection's verdict is. */
export function selected(f: Picked, cls: TeardownClass, o: Picks): boolean {
  return picked(f, o) && (!o.class?.length || o.class.includes(cls));
}

const family = (ip: string): 'ipv4' | 'ipv6' => (ip.includes(':') ? 'ipv6' : 'ipv4');

/** `--host` values, an address or ADDRESS/PREFIX, as Node's address matcher (which compares IPv6 texts by value). */
const hostLists = new WeakMap<readonly string[], BlockList>();
function hostList(hosts: readonly string[]): BlockList {
  let list = hostLists.get(hosts);
  if (list === undefined) {
    list = new BlockList();
    for (const h of hosts) {
      const [address = '', prefix] = h.split('/');
      const f = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(address, f);
      else list.addSubnet(address, Number(prefix), f);
    }
    hostLists.set(hosts, list);
  }
  return list;
}

/** A `--host` value as given, or the reason it is not one (for yargs' coerce: a usage error). */
export function checkHost(value: string): Wording | undefined {
  const [address = '', prefix, extra] = value.split('/');
  const v = isIP(address);
  if (v === 0 || extra !== undefined) return message('hostNotAddress', { value });
  if (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= (v === 4 ? 32 : 128))) {
    return message('hostPrefix', { value, max: v === 4 ? 32 : 128 });
  }
  return undefined;
}

/** The selection as typed, for messages: `--flow 99 --class stuck`. */
function selectionWords(o: Picks): string {
  const words: string[] = [];
  for (const [name, values] of [['flow', o.flow], ['port', o.port], ['host', o.host], ['class', o.class]] as const) {
    for (const v of values ?? []) words.push(`--${name} ${v}`);
  }
  return words.join(' ');
}

/**
 * What is wrong with a selection once the capture is read (docs/contract.md, "Selection"): a
 * `--flow` number past the last connection, or nothing selected at all. Each a line for standard
 * error; any of them makes the run a usage error (exit 2).
 */
export function selectionProblems(o: Picks, total: number, shown: number, lang: Lang = 'en'): string[] {
  const w = DIAGNOSTIC_WORDS[lang];
  const problems: string[] = [];
  const absent = (o.flow ?? []).filter((n) => n > total);
  if (absent.length) problems.push(w.absent(absent.join(', '), total));
  else if (shown === 0 && selecting(o)) problems.push(w.noMatch(selectionWords(o), total));
  return problems;
}

