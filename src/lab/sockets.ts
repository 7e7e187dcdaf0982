/**
 * Small promise helpers over Node's `net` for the lab scenarios. Every socket is made with
 * `allowHalfOpen: true`, so Node never closes a side on its own: `end()` is shutdown(SHUT_WR),
 * `destroy()` is close(), `resetAndDestroy()` is close() with SO_LINGER 0, as the scenarios say.
 */
import net from 'node:net';
import type { Server, Socket } from 'node:net';

export const HOST = '127.0.0.1';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Errors a lab socket meets on purpose (a RST, a write to a reset socket) are part of the lesson. */
export function quiet(s: Socket): Socket {
  s.on('error', () => undefined);
  return s;
}

/** A server on 127.0.0.1 on a free port; `onSocket` gets each accepted connection. */
export function listen(onSocket: (s: Socket) => void, opts: { pauseOnConnect?: boolean } = {}): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: opts.pauseOnConnect ?? false }, (s) => onSocket(quiet(s)));
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const addr = server.address();
      if (addr === null || typeof addr === 'string') return reject(new Error('no port'));
      resolve({ server, port: addr.port });
    });
  });
}

/** A port on 127.0.0.1 with no listener (taken free, then closed). */
export async function closedPort(): Promise<number> {
  const { server, port } = await listen(() => undefined);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Connects to 127.0.0.1:port; resolves once connected. */
export function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: HOST, port, allowHalfOpen: true });
    s.once('connect', () => resolve(quiet(s)));
    s.once('error', reject);
  });
}

/** Reads from a flowing socket until the text seen so far contains `marker` (or the socket ends). */
export function readUntil(s: Socket, marker: string): Promise<string> {
  return new Promise((resolve) => {
    let seen = '';
    const done = (): void => {
      s.off('data', onData);
      s.off('end', done);
      s.off('close', done);
      resolve(seen);
    };
    const onData = (b: Buffer): void => {
      seen += b.toString('latin1');
      if (seen.includes(marker)) done();
    };
    s.on('data', onData);
    s.once('end', done);
    s.once('close', done);
  });
}

/** Resolves when the peer's FIN has been read (or the socket closed). */
export function ended(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (s.readableEnded || s.destroyed) return resolve();
    s.once('end', () => resolve());
    s.once('close', () => resolve());
    s.resume();
  });
}

/** Writes and resolves once the bytes are handed to the kernel. */
export function send(s: Socket, text: string): Promise<void> {
  return new Promise((resolve) => s.write(text, () => resolve()));
}

/** The course's server: answers "Time" with the time and "Exit" with "Bye" (after `byeDelayMs`). */
export function timeServer(s: Socket, opts: { byeDelayMs: number; onBye?: () => void }): void {
  let buffered = '';
  s.on('data', (b: Buffer) => {
    buffered += b.toString('latin1');
    if (buffered.includes('Time')) {
      buffered = buffered.replace('Time', '');
      s.write(new Date().toISOString());
    }
    if (buffered.includes('Exit')) {
      buffered = '';
      setTimeout(() => {
        if (s.destroyed) return;
        s.write('Bye', () => opts.onBye?.());
      }, opts.byeDelayMs);
    }
  });
}
