/**
 * The kernel's own view of this host's TCP sockets, for live capture's stuck warnings
 * (docs/live-and-lab.md, "Who holds a stuck socket"): the wire shows a connection sitting in
 * CLOSE_WAIT, the kernel says which process holds the socket and what state it is really in. This
 * is what `ss -tanp` prints, read from the same files: `/proc/net/tcp` and `/proc/net/tcp6` list
 * each socket (addresses, state, inode) of teardown's network namespace, and `/proc/PID/fd/*`
 * link to `socket:[INODE]` for each socket a process holds. Linux only; elsewhere, or for a pair
 * that is not local, there is nothing to say.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { endianness } from 'node:os';
import { ipv4Text, ipv6Text } from '../decode/ip.js';
import type { Endpoint } from '../flow/connection.js';
import type { Side, TcpState } from '../tcp/states.js';
import { terminalSafe } from './terminal-text.js';
import { LIVE_WORDS } from '../render/live-words.js';
import { sideName } from '../render/names.js';
import type { Lang } from '../render/notes.js';

/**
 * The kernel's states (include/net/tcp_states.h, the `st` column) by their RFC 9293 names, as the
 * wire's are written: TCP_CLOSE is CLOSED, TCP_SYN_RECV and TCP_NEW_SYN_RECV (a request socket
 * before accept) are SYN_RECEIVED.
 */
const KERNEL_STATES: Record<number, TcpState> = {
  0x01: 'ESTABLISHED', 0x02: 'SYN_SENT', 0x03: 'SYN_RECEIVED', 0x04: 'FIN_WAIT_1', 0x05: 'FIN_WAIT_2', 0x06: 'TIME_WAIT',
  0x07: 'CLOSED', 0x08: 'CLOSE_WAIT', 0x09: 'LAST_ACK', 0x0a: 'LISTEN', 0x0b: 'CLOSING', 0x0c: 'SYN_RECEIVED',
};

/** One line of /proc/net/tcp or tcp6. `inode` is 0 for a socket no process holds (closed, orphaned in FIN_WAIT_2 or TIME_WAIT). */
export interface KernelSocket {
  local: Endpoint;
  remote: Endpoint;
  state: TcpState;
  inode: number;
}

/** A process holding a socket: its id and its command name (`/proc/PID/comm`). */
export interface SocketOwner {
  pid: number;
  command: string;
}

const LITTLE_ENDIAN = endianness() === 'LE';
const HEX = /^[0-9A-Fa-f]+$/;

/**
 * An address as the kernel prints it: each 32-bit word of the address as it sits in memory (network
 * byte order), printed as a host-order number with %08X, so on a little-endian machine 127.0.0.1 is
 * `0100007F`. Written back in host order, the words give the address's bytes.
 */
function addressText(hex: string): string | undefined {
  if ((hex.length !== 8 && hex.length !== 32) || !HEX.test(hex)) return undefined;
  const bytes = Buffer.alloc(hex.length / 2);
  for (let w = 0; w < hex.length / 8; w++) {
    const word = Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    if (LITTLE_ENDIAN) bytes.writeUInt32LE(word, w * 4);
    else bytes.writeUInt32BE(word, w * 4);
  }
  if (bytes.length === 4) return ipv4Text(bytes, 0);
  const text = ipv6Text(bytes, 0);
  // An IPv4 connection to a socket bound to `::` is listed in tcp6, mapped; the wire shows IPv4.
  return text.startsWith('::ffff:') && text.includes('.') ? text.slice(7) : text;
}

function endpoint(field: string | undefined): Endpoint | undefined {
  const [hex, portHex] = field?.split(':') ?? [];
  if (hex === undefined || portHex === undefined) return undefined;
  const ip = addressText(hex);
  return ip === undefined || portHex.length !== 4 || !HEX.test(portHex) ? undefined : { ip, port: Number.parseInt(portHex, 16) };
}

/**
 * The sockets of /proc/net/tcp or tcp6 text: `sl local_address rem_address st tx_queue:rx_queue
 * tr:tm->when retrnsmt uid timeout inode ...` (net/ipv4/tcp_ipv4.c, get_tcp4_sock). The heading
 * and any line that does not read as one are left out.
 */
export function parseProcNetTcp(text: string): KernelSocket[] {
  const sockets: KernelSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (!/^\d+:$/.test(f[0] ?? '')) continue;
    const local = endpoint(f[1]);
    const remote = endpoint(f[2]);
    const st = f[3] ?? '';
    const state = st.length === 2 && HEX.test(st) ? KERNEL_STATES[Number.parseInt(st, 16)] : undefined;
    const inode = Number(f[9]);
    if (local === undefined || remote === undefined || state === undefined || !Number.isSafeInteger(inode)) continue;
    sockets.push({ local, remote, state, inode });
  }
  return sockets;
}

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const list = (path: string): string[] => {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
};

/** Every TCP socket of this network namespace, IPv4 and IPv6 (none where /proc/net has no such files). */
export function readKernelSockets(proc = '/proc'): KernelSocket[] {
  return [`${proc}/net/tcp`, `${proc}/net/tcp6`].flatMap((path) => parseProcNetTcp(readText(path) ?? ''));
}

/**
 * The processes holding each of `inodes`, from the `socket:[INODE]` links under /proc/PID/fd. Only
 * root reads every process's links; another user's processes are passed over (their sockets come
 * out without an owner). A socket shared after fork() has several owners, in pid order.
 */
export function socketOwners(inodes: ReadonlySet<number>, proc = '/proc'): Map<number, SocketOwner[]> {
  const owners = new Map<number, SocketOwner[]>();
  if (inodes.size === 0) return owners;
  const pids = list(proc).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    const fdDir = `${proc}/${pid}/fd`;
    let command: string | undefined;
    for (const fd of list(fdDir)) {
      let link: string;
      try {
        link = readlinkSync(`${fdDir}/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      const inode = m ? Number(m[1]) : 0;
      if (!inodes.has(inode)) continue;
      command ??= readText(`${proc}/${pid}/comm`)?.trim() ?? '?';
      const held = owners.get(inode) ?? [];
      if (!held.some((o) => o.pid === pid)) held.push({ pid, command });
      owners.set(inode, held);
    }
  }
  return owners;
}

const sameEndpoint = (a: Endpoint, b: Endpoint): boolean => a.port === b.port && a.ip === b.ip;

/** A connection whose sockets are looked up: its endpoints and the side that has not closed. */
export interface StuckConnection {
  client: Endpoint;
  server: Endpoint;
  waiting: Side;
}

/** A local socket of a connection: which side it is, the kernel's line, and who holds it. */
export interface HeldSocket {
  side: Side;
  socket: KernelSocket;
  owners: SocketOwner[];
}

/**
 * The local sockets of each connection (both on loopback, one for a connection with another host,
 * none for traffic between two other hosts), the side that has not closed (`waiting`) first:
 * one read of the tables and one walk over the processes for all of them.
 */
export function heldSockets(connections: readonly StuckConnection[], proc = '/proc'): HeldSocket[][] {
  if (connections.length === 0) return [];
  const table = readKernelSockets(proc);
  const found = connections.map(({ client, server, waiting }) => {
    const sides = waiting === 'client' ? (['client', 'server'] as const) : (['server', 'client'] as const);
    return sides.flatMap((side) => {
      const [local, remote] = side === 'client' ? [client, server] : [server, client];
      const socket = table.find((s) => sameEndpoint(s.local, local) && sameEndpoint(s.remote, remote));
      return socket ? [{ side, socket }] : [];
    });
  });
  const owners = socketOwners(new Set(found.flat().map((f) => f.socket.inode).filter((i) => i !== 0)), proc);
  return found.map((sides) => sides.map((f) => ({ ...f, owners: owners.get(f.socket.inode) ?? [] })));
}

/**
 * The kernel's word on a connection's local sockets, as a stuck warning ends:
 * `kernel: server CLOSE_WAIT, pid 1234 python3; client FIN_WAIT_2, no process (closed)`; empty when
 * neither side is local. A command name is the process's own choice: shown terminal-safe. In
 * Chinese the words are (render/live-words.ts), the states and commands are not.
 */
export function kernelNote(sockets: readonly HeldSocket[], lang: Lang = 'en'): string {
  if (sockets.length === 0) return '';
  const w = LIVE_WORDS[lang];
  const held = (h: HeldSocket): string => {
    if (h.owners.length > 0) return h.owners.map((o) => w.pid(o.pid, terminalSafe(o.command))).join(lang === 'zh' ? '，' : ', ');
    return h.socket.inode === 0 ? w.noProcess : w.processUnknown;
  };
  return w.kernel(sockets.map((h) => w.socket(sideName(h.side, lang), h.socket.state, held(h))));
}
