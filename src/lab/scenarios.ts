/**
 * The lab scenarios (docs/contract.md, "Commands", `teardown lab`; docs/live-and-lab.md, "The lab"): a real client and server on 127.0.0.1 that close in
 * the named way. Each scenario first sets up (a listening server, or a port with none), so that the
 * capture can filter on its port, then runs the exchange once the capture is listening, and cleans
 * up after the capture has stopped (what cleanup sends is not part of the lesson).
 */
import type { Socket } from 'node:net';
import type { TeardownClass, TeardownDetail, Who } from '../analysis/verdict-keys.js';
import type { CauseId } from '../analysis/causes.js';
import type { ScenarioName } from './names.js';
import type { Lang } from '../render/notes.js';
import { closedPort, connect, ended, listen, readUntil, send, sleep, timeServer } from './sockets.js';

/** The verdict a scenario is written to produce. */
export interface Expected {
  class: TeardownClass;
  detail: TeardownDetail | null;
  closer: Who;
  trailingBytes: number;
  /** The cause ids it is written to show (docs/causes.md), when it shows any. */
  causes?: readonly CauseId[];
}

export interface Prepared {
  port: number;
  /** The exchange; resolves when its last packet has been sent (or should have been). */
  run(): Promise<void>;
  /** After the capture stopped: close whatever is left. */
  cleanup(): Promise<void>;
}

export interface Scenario {
  /** One line in each language: the socket calls, in order (the calls' names stay as code). */
  calls: Record<Lang, string>;
  expect: Expected;
  /** Said when the run came out otherwise, in each language: why the kernel may decide differently. */
  bestEffort?: Record<Lang, string>;
  prepare(): Promise<Prepared>;
}

/** zero-window: how long the client waits behind the closed window (its window probes go out) before it gives up. */
const ZERO_WINDOW_WAIT_MS = 1200;
/** zero-window: what the client tries to send, more than loopback's receive and send buffers hold together. */
const ZERO_WINDOW_BYTES = 24 * 1024 * 1024;

/** How long the server waits before answering "Exit" with "Bye": the client's FIN gets there first. */
const BYE_DELAY_MS = 30;
/** stuck-close-wait: how long the capture goes on after the FIN. */
export const STUCK_HOLD_MS = 2200;
/** stuck-close-wait: the server's keepalive idle time (TCP_KEEPIDLE; Linux's minimum is 1 s). */
const KEEPALIVE_MS = 2000;

/** A server whose accepted sockets go to `handle`; resolves the port and a way to close it all. */
async function serve(handle: (s: Socket) => void, opts: { pauseOnConnect?: boolean } = {}): Promise<{ port: number; sockets: Socket[]; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const { server, port } = await listen((s) => {
    sockets.push(s);
    handle(s);
  }, opts);
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, sockets, close };
}

/** The client's opening: connect, send "Time", read the time string. */
async function askTime(port: number): Promise<Socket> {
  const c = await connect(port);
  const reply = readUntil(c, 'Z');
  await send(c, 'Time');
  await reply;
  return c;
}

/** Standard shape: a time server, a client exchange, then both sockets closed at cleanup. */
async function course(client: (port: number, sockets: Socket[]) => Promise<Socket | undefined>, server: (s: Socket) => void = (s) => timeServer(s, { byeDelayMs: BYE_DELAY_MS })): Promise<Prepared> {
  const srv = await serve(server);
  let c: Socket | undefined;
  return {
    port: srv.port,
    run: async () => {
      c = await client(srv.port, srv.sockets);
    },
    cleanup: async () => {
      c?.destroy();
      await srv.close();
    },
  };
}

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  'graceful': {
    calls: {
      en: 'client: connect, send "Time", read the time, close(); server: read EOF, close() 50 ms later (four-way close)',
      zh: '客户端：connect，send "Time"，读取时间，close()；服务器：读到 EOF，50 毫秒后 close()（四次挥手）',
    },
    expect: { class: 'graceful', detail: 'four-way', closer: 'client', trailingBytes: 0 },
    prepare: () => course(async (port) => {
      const c = await askTime(port);
      c.destroy();
      await sleep(100);
      return undefined;
    }, (s) => {
      timeServer(s, { byeDelayMs: BYE_DELAY_MS });
      void ended(s).then(() => sleep(50)).then(() => s.destroy());
    }),
  },
  'half-close': {
    calls: {
      en: 'client: send "Time", read it, send "Exit", shutdown(SHUT_WR), read "Bye" and EOF, close(); server: answer "Bye", close()',
      zh: '客户端：send "Time"，读取它，send "Exit"，shutdown(SHUT_WR)，读到 "Bye" 和 EOF，close()；服务器：回应 "Bye"，close()',
    },
    expect: { class: 'half-close', detail: null, closer: 'client', trailingBytes: 3 },
    prepare: () => course(async (port) => {
      const c = await askTime(port);
      const bye = readUntil(c, 'Bye');
      await send(c, 'Exit');
      c.end();
      await bye;
      await ended(c);
      c.destroy();
      await sleep(50);
      return undefined;
    }, (s) => timeServer(s, { byeDelayMs: BYE_DELAY_MS, onBye: () => s.destroy() })),
  },
  'close-then-data': {
    calls: {
      en: 'client: send "Time", read it, send "Exit", close() before "Bye" comes; server: answer "Bye" to a closed socket (RST)',
      zh: '客户端：send "Time"，读取它，send "Exit"，在 "Bye" 到达前 close()；服务器：向已关闭的套接字回应 "Bye"（RST）',
    },
    expect: { class: 'rst-after-close', detail: 'data-after-close', closer: 'client', trailingBytes: 3 },
    prepare: () => course(async (port) => {
      const c = await askTime(port);
      await send(c, 'Exit');
      c.destroy();
      await sleep(BYE_DELAY_MS + 50);
      return undefined;
    }),
  },
  'unread-close': {
    calls: {
      en: 'client: send "Time"; server: accept paused, never read it, close() with the bytes unread: its kernel sends RST, not FIN',
      zh: '客户端：send "Time"；服务器：暂停 accept，从不读取，带着未读的字节 close()：它的内核发出 RST 而不是 FIN',
    },
    expect: { class: 'abort', detail: 'established', closer: 'server', trailingBytes: 0 },
    prepare: async () => {
      // pauseOnConnect: Node never reads the accepted socket, so "Time" stays in the kernel's receive queue.
      const srv = await serve((s) => { setTimeout(() => s.destroy(), 50); }, { pauseOnConnect: true });
      let c: Socket | undefined;
      return {
        port: srv.port,
        run: async () => {
          c = await connect(srv.port);
          await send(c, 'Time');
          await ended(c);
          await sleep(20);
        },
        cleanup: async () => {
          c?.destroy();
          await srv.close();
        },
      };
    },
  },
  'linger0': {
    calls: {
      en: 'client: send "Time", read it, set SO_LINGER 0 and close() (resetAndDestroy): RST instead of FIN',
      zh: '客户端：send "Time"，读取它，设置 SO_LINGER 0 并 close()（resetAndDestroy）：以 RST 代替 FIN',
    },
    expect: { class: 'abort', detail: 'established', closer: 'client', trailingBytes: 0 },
    prepare: () => course(async (port) => {
      const c = await askTime(port);
      c.resetAndDestroy();
      await sleep(50);
      return undefined;
    }),
  },
  'stuck-close-wait': {
    calls: {
      en: 'client: send "Time", read it, close(); server: reads EOF but never calls close() (it sits in CLOSE_WAIT; a keepalive probe 2 s later shows it alive)',
      zh: '客户端：send "Time"，读取它，close()；服务器：读到 EOF 但从不调用 close()（停在 CLOSE_WAIT；2 秒后的保活探测显示它仍存活）',
    },
    expect: { class: 'stuck', detail: 'close-wait', closer: 'client', trailingBytes: 0 },
    prepare: () => course(async (port) => {
      const c = await askTime(port);
      c.destroy();
      await sleep(STUCK_HOLD_MS);
      return undefined;
    }, (s) => {
      timeServer(s, { byeDelayMs: BYE_DELAY_MS });
      // A pcap has no end time: the keepalive probe and its ACK put a packet ~2 s after the FIN,
      // so the capture itself shows how long the server sat in CLOSE_WAIT.
      s.setKeepAlive(true, KEEPALIVE_MS);
    }),
  },
  'refused': {
    calls: {
      en: 'client: connect() to a port nobody listens on: the kernel answers the SYN with RST (ECONNREFUSED)',
      zh: '客户端：connect() 到无人监听的端口：内核用 RST 回应 SYN（ECONNREFUSED）',
    },
    expect: { class: 'refused', detail: null, closer: 'server', trailingBytes: 0 },
    prepare: async () => {
      const port = await closedPort();
      return {
        port,
        run: async () => {
          await connect(port).then((s) => s.destroy(), () => undefined);
        },
        cleanup: async () => undefined,
      };
    },
  },
  'zero-window': {
    calls: {
      en: 'server: accept paused, never read; client: write until the server\'s window is 0, wait behind it (window probes), then give up with SO_LINGER 0 close()',
      zh: '服务器：暂停 accept，从不读取；客户端：write 直到服务器的窗口为 0，在其后等待（窗口探测），然后以 SO_LINGER 0 close() 放弃',
    },
    expect: { class: 'abort', detail: 'established', closer: 'client', trailingBytes: 0, causes: ['zero-window'] },
    prepare: async () => {
      const srv = await serve(() => undefined, { pauseOnConnect: true });
      let c: Socket | undefined;
      return {
        port: srv.port,
        run: async () => {
          c = await connect(srv.port);
          // The kernel takes what fits in the receive and send buffers; the rest waits in Node.
          c.write(Buffer.alloc(ZERO_WINDOW_BYTES, 0x78));
          await sleep(ZERO_WINDOW_WAIT_MS);
          c.resetAndDestroy();
          await sleep(50);
        },
        cleanup: async () => {
          c?.destroy();
          await srv.close();
        },
      };
    },
  },
  'simultaneous': {
    calls: {
      en: 'client and server: send "Time", read it, then both call shutdown(SHUT_WR) in the same instant, read EOF, close()',
      zh: '客户端和服务器：send "Time"，读取它，然后同时调用 shutdown(SHUT_WR)，读到 EOF，close()',
    },
    expect: { class: 'graceful', detail: 'simultaneous', closer: 'both', trailingBytes: 0 },
    bestEffort: {
      en: 'On loopback the kernel delivers a FIN before the other side\'s shutdown() runs, so the FINs usually come out serialised.',
      zh: '在环回接口上，内核会在另一方的 shutdown() 执行前就送达 FIN，所以两个 FIN 通常是先后发出的。',
    },
    prepare: () => course(async (port, sockets) => {
      const c = await askTime(port);
      const s = sockets[0];
      c.end();
      s?.end();
      await Promise.all([ended(c), s ? ended(s) : Promise.resolve()]);
      c.destroy();
      s?.destroy();
      await sleep(50);
      return undefined;
    }),
  },
};
