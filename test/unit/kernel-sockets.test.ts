import net from 'node:net';
import type { Server, Socket } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { heldSockets, kernelNote, parseProcNetTcp, readKernelSockets } from '../../src/cli/kernel-sockets.js';
import type { HeldSocket, KernelSocket } from '../../src/cli/kernel-sockets.js';
import type { Endpoint } from '../../src/flow/connection.js';
import { sleep } from '../../src/lab/sockets.js';

/**
 * The kernel's view of a stuck connection, read from the real /proc: a connection on loopback,
 * made in this process, whose client sends its FIN (end(), shutdown(SHUT_WR)) and whose server
 * never closes: the server's socket sits in CLOSE_WAIT, the client's in FIN_WAIT_2, both held by
 * this process. Linux only (no /proc/net/tcp: skipped).
 */
const linux = existsSync('/proc/net/tcp');
const open: Array<Server | Socket> = [];

afterEach(() => {
  for (const o of open.splice(0)) o instanceof net.Server ? o.close() : o.destroy();
});

/** A client connected to a server on `listenHost`, through `connectHost`; the client has sent its FIN and the server read it. */
async function halfClosed(listenHost: string, connectHost: string): Promise<{ client: Socket; server: Endpoint; clientEnd: Endpoint }> {
  let accepted: (s: Socket) => void = () => undefined;
  const got = new Promise<Socket>((resolve) => { accepted = resolve; });
  const server = net.createServer({ allowHalfOpen: true }, (s) => accepted(s));
  open.push(server);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, listenHost, resolve));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect({ host: connectHost, port, allowHalfOpen: true });
  open.push(client);
  await new Promise<void>((resolve, reject) => client.once('error', reject).once('connect', resolve));
  const s = await got;
  open.push(s);
  const eof = new Promise<void>((resolve) => s.once('end', resolve));
  s.resume();
  client.end();
  await eof;
  return { client, server: { ip: client.remoteAddress ?? '', port }, clientEnd: { ip: client.localAddress ?? '', port: client.localPort ?? 0 } };
}

/** The kernel's line for a socket, polled until it is in `state` (the last ACK may take a moment). */
async function lineOf(local: Endpoint, remote: Endpoint, state: string): Promise<KernelSocket | undefined> {
  let found: KernelSocket | undefined;
  for (let i = 0; i < 100; i++) {
    found = readKernelSockets().find((k) => k.local.ip === local.ip && k.local.port === local.port && k.remote.ip === remote.ip && k.remote.port === remote.port);
    if (found?.state === state) return found;
    await sleep(20);
  }
  return found;
}

const comm = readFileSync('/proc/self/comm', 'utf8').trim();

describe.skipIf(!linux)('the kernel\'s sockets (/proc/net/tcp, tcp6, /proc/PID/fd)', () => {
  it('an IPv4 connection whose server has not closed: CLOSE_WAIT and FIN_WAIT_2, both held by this process', async () => {
    const { server, clientEnd } = await halfClosed('127.0.0.1', '127.0.0.1');
    expect(server.ip).toBe('127.0.0.1');
    const serverLine = await lineOf(server, clientEnd, 'CLOSE_WAIT');
    expect(serverLine).toMatchObject({ state: 'CLOSE_WAIT', local: server, remote: clientEnd });
    expect(serverLine?.inode).toBeGreaterThan(0);
    expect(await lineOf(clientEnd, server, 'FIN_WAIT_2')).toMatchObject({ state: 'FIN_WAIT_2' });

    const [held] = heldSockets([{ client: clientEnd, server, waiting: 'server' }]);
    expect(held?.map((h) => [h.side, h.socket.state, h.owners])).toEqual([
      ['server', 'CLOSE_WAIT', [{ pid: process.pid, command: comm }]],
      ['client', 'FIN_WAIT_2', [{ pid: process.pid, command: comm }]],
    ]);
    expect(kernelNote(held ?? [])).toBe(`kernel: server CLOSE_WAIT, pid ${process.pid} ${comm}; client FIN_WAIT_2, pid ${process.pid} ${comm}`);
  });

  it('a client that closed leaves an orphan no process holds (inode 0); a pair not on this host has no sockets', async () => {
    const { client, server, clientEnd } = await halfClosed('127.0.0.1', '127.0.0.1');
    client.destroy();
    await sleep(50);
    const [held] = heldSockets([{ client: clientEnd, server, waiting: 'server' }]);
    expect(held?.[1]?.socket).toMatchObject({ state: 'FIN_WAIT_2', inode: 0 });
    expect(kernelNote(held ?? [])).toBe(`kernel: server CLOSE_WAIT, pid ${process.pid} ${comm}; client FIN_WAIT_2, no process (closed)`);
    expect(heldSockets([{ client: { ip: '192.0.2.1', port: 1 }, server: { ip: '192.0.2.2', port: 2 }, waiting: 'client' }])).toEqual([[]]);
    expect(heldSockets([])).toEqual([]);
  });

  it('IPv6 on ::1, and IPv4 to a dual-stack socket (listed in tcp6 as ::ffff:127.0.0.1, shown as the wire shows it)', async (t) => {
    const v6 = await halfClosed('::1', '::1').catch(() => undefined);
    if (v6 === undefined) t.skip();
    // The client reaches FIN_WAIT_2 when the server's ACK of its FIN arrives: on a loaded machine, a moment after.
    else {
      await lineOf(v6.clientEnd, v6.server, 'FIN_WAIT_2');
      expect(heldSockets([{ client: v6.clientEnd, server: v6.server, waiting: 'server' }])[0]?.map((h) => [h.side, h.socket.state, h.socket.local.ip])).toEqual([['server', 'CLOSE_WAIT', '::1'], ['client', 'FIN_WAIT_2', '::1']]);
    }

    const mapped = await halfClosed('::', '127.0.0.1').catch(() => undefined);
    if (mapped === undefined) return;
    await lineOf(mapped.clientEnd, mapped.server, 'FIN_WAIT_2');
    expect(readFileSync('/proc/net/tcp6', 'utf8')).toMatch(new RegExp(`0000000000000000FFFF00000100007F:${mapped.server.port.toString(16).toUpperCase().padStart(4, '0')} `));
    expect(heldSockets([{ client: mapped.clientEnd, server: mapped.server, waiting: 'server' }])[0]?.[0]?.socket).toMatchObject({ state: 'CLOSE_WAIT', local: { ip: '127.0.0.1', port: mapped.server.port } });
  });
});

describe('parseProcNetTcp', () => {
  // Lines of a little-endian machine's /proc/net/tcp and tcp6 (a big-endian one prints the words the other way round).
  const le = endianness() === 'LE';
  it.skipIf(!le)('reads addresses, ports, states and inodes, and passes over the heading and broken lines', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 249 1 00000000617a82b3 100 0 0 10 0',
      '   1: 0100007F:B8B0 0100007F:3039 08 00000000:00000000 00:00000000 00000000     0        0 1123491 1 000000008318141e 20 0 0 10 -1',
      '   2: 0100007F:3039 0100007F:B8B0 05 00000000:00000000 00:00000000 00000000     0        0 0 3 0000000000000000',
      '   3: 000080FE00000000FF0D8502ABCDEF01:0016 00000000000000000000000001000000:C350 06 00000000:00000000 03:00001770 00000000 0 0 0 3 x',
      '   4: 0100007F:3039 0100007F:B8B0 7F 00000000:00000000 00:00000000 00000000     0        0 5 1',
      '   5: 0100007G:3039 0100007F:B8B0 01 00000000:00000000 00:00000000 00000000     0        0 5 1',
      '   6: 0100007F',
      '',
    ].join('\n');
    expect(parseProcNetTcp(text)).toEqual([
      { local: { ip: '0.0.0.0', port: 2024 }, remote: { ip: '0.0.0.0', port: 0 }, state: 'LISTEN', inode: 249 },
      { local: { ip: '127.0.0.1', port: 47280 }, remote: { ip: '127.0.0.1', port: 12345 }, state: 'CLOSE_WAIT', inode: 1123491 },
      { local: { ip: '127.0.0.1', port: 12345 }, remote: { ip: '127.0.0.1', port: 47280 }, state: 'FIN_WAIT_2', inode: 0 },
      { local: { ip: 'fe80::285:dff:1ef:cdab', port: 22 }, remote: { ip: '::1', port: 50000 }, state: 'TIME_WAIT', inode: 0 },
    ]);
  });
});

describe('kernelNote', () => {
  const socket = (state: KernelSocket['state'], inode: number): KernelSocket => ({ local: { ip: '10.0.0.1', port: 80 }, remote: { ip: '10.0.0.2', port: 5000 }, state, inode });
  it('names each local side\'s state and holders, nothing for none, a command name terminal-safe', () => {
    const held: HeldSocket[] = [
      { side: 'server', socket: socket('CLOSE_WAIT', 7), owners: [{ pid: 10, command: 'nginx' }, { pid: 11, command: 'evil\x1b[2J' }] },
      { side: 'client', socket: socket('LAST_ACK', 8), owners: [] },
    ];
    expect(kernelNote(held)).toBe('kernel: server CLOSE_WAIT, pid 10 nginx, pid 11 evil\\x1b[2J; client LAST_ACK, process unknown');
    expect(kernelNote([])).toBe('');
  });
  it('in Chinese: the words are, the states, pids and commands are not', () => {
    const held: HeldSocket[] = [
      { side: 'server', socket: socket('CLOSE_WAIT', 7), owners: [{ pid: 10, command: 'nginx' }, { pid: 11, command: 'python3' }] },
      { side: 'client', socket: socket('FIN_WAIT_2', 0), owners: [] },
      { side: 'client', socket: socket('LAST_ACK', 8), owners: [] },
    ];
    expect(kernelNote(held, 'zh')).toBe('内核：服务器 CLOSE_WAIT，进程 10 nginx，进程 11 python3；客户端 FIN_WAIT_2，无进程（已关闭）；客户端 LAST_ACK，进程未知');
    expect(kernelNote(held, 'en')).toBe('kernel: server CLOSE_WAIT, pid 10 nginx, pid 11 python3; client FIN_WAIT_2, no process (closed); client LAST_ACK, process unknown');
  });
});
