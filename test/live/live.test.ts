import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from '../golden/run-cli.js';
import { skip } from './can-capture.js';
import { closedPort, connect, ended, listen, readUntil, send, sleep } from '../../src/lab/sockets.js';

/**
 * Live capture end to end, on real loopback traffic, through the built CLI (npm test builds it):
 * every lab scenario, `live` with --count, --duration, -w and Ctrl-C, and the one-line errors.
 * Capturing needs root (CI runs as root) and tcpdump; without them every test here is skipped
 * with the reason printed.
 */

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI, asynchronously: `listening` resolves once it reports tcpdump is listening. */
function startCli(args: string[]): { listening: Promise<void>; done: Promise<Run>; interrupt: () => void } {
  const env = { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' };
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  let heard: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => { heard = resolve; });
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
    if (stderr.includes('listening on') || stderr.includes('上监听')) heard();
  });
  const done = new Promise<Run>((resolve) => {
    child.on('close', (code) => {
      heard();
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
  return { listening, done, interrupt: () => child.kill('SIGINT') };
}

interface FlowJson {
  id: number;
  teardown: { class: string; detail: string | null; closer: string | null; trailingBytes: number };
  packets?: unknown[];
}

const verdicts = (flows: FlowJson[]) => flows.map((f) => ({ class: f.teardown.class, detail: f.teardown.detail, closer: f.teardown.closer, trailingBytes: f.teardown.trailingBytes }));

describe('lab scenarios (real loopback traffic, captured on lo)', () => {
  const cases: Array<[string, { class: string; detail: string | null; closer: string; trailingBytes: number }]> = [
    ['graceful', { class: 'graceful', detail: 'four-way', closer: 'client', trailingBytes: 0 }],
    ['half-close', { class: 'half-close', detail: null, closer: 'client', trailingBytes: 3 }],
    ['close-then-data', { class: 'rst-after-close', detail: 'data-after-close', closer: 'client', trailingBytes: 3 }],
    ['unread-close', { class: 'abort', detail: 'established', closer: 'server', trailingBytes: 0 }],
    ['linger0', { class: 'abort', detail: 'established', closer: 'client', trailingBytes: 0 }],
    ['stuck-close-wait', { class: 'stuck', detail: 'close-wait', closer: 'client', trailingBytes: 0 }],
    ['refused', { class: 'refused', detail: null, closer: 'server', trailingBytes: 0 }],
  ];
  for (const [name, want] of cases) {
    it.skipIf(skip)(`${name}: ${want.class}${want.detail ? ` (${want.detail})` : ''}`, async () => {
      const r = await startCli(['lab', name, '--format', 'json']).done;
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { flows: FlowJson[] };
      expect(verdicts(report.flows)).toEqual([want]);
      expect(r.stderr).not.toContain('Note:');
      expect(r.stderr).toMatch(/0 dropped by kernel/);
    });
  }

  it.skipIf(skip)('zero-window: the client gives up behind the server\'s zero window; cause zero-window, and not keepalive-timeout (its window probes look like keep-alives)', async () => {
    const r = await startCli(['lab', 'zero-window', '--format', 'json', '--no-packets']).done;
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { flows: Array<FlowJson & { teardown: { causes: Array<{ id: string; side: string }> } }> };
    expect(verdicts(report.flows)).toEqual([{ class: 'abort', detail: 'established', closer: 'client', trailingBytes: 0 }]);
    expect(report.flows[0]?.teardown.causes.map((c) => [c.id, c.side])).toEqual([['zero-window', 'server']]);
    expect(r.stderr).not.toContain('Note:');
  });

  it.skipIf(skip)('simultaneous: graceful, with the best-effort note saying whether the FINs crossed', async () => {
    const r = await startCli(['lab', 'simultaneous', '--format', 'json']).done;
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { flows: FlowJson[] };
    expect(report.flows.map((f) => f.teardown.class)).toEqual(['graceful']);
    const detail = report.flows[0]?.teardown.detail;
    expect(r.stderr).toContain(detail === 'simultaneous' ? 'the FINs crossed' : 'the kernel serialised the FINs');
  });

  it.skipIf(skip)('text output is the analyze table; -w keeps a capture that analyze reads back the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-test-'));
    try {
      const file = join(dir, 'ctd.pcap');
      const r = await startCli(['lab', 'close-then-data', '-w', file, '--color', 'never']).done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Lab close-then-data:');
      expect(r.stdout).toContain('RST: data reached a closed socket');
      expect(r.stdout).toMatch(/Verdict: rst-after-close \(data-after-close\), closer client, reset by client, trailing bytes 3/);
      const back = runCli(['analyze', file, '--color', 'never']);
      expect(back.code).toBe(0);
      expect(r.stdout).toContain(back.stdout.replace(/^Connection 1.*\n/, '').split('\n').slice(0, 12).join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lab --list explains every scenario in one line', () => {
    const r = runCli(['lab', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(
      ['graceful', 'half-close', 'close-then-data', 'unread-close', 'linger0', 'stuck-close-wait', 'refused', 'simultaneous', 'zero-window']);
  });
});

describe('teardown live', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teardown-live-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(skip)('--count stops after N packets; rows stream labelled with their connection; verdicts as flows end', async () => {
    const port = await closedPort();
    const live = startCli(['live', '-i', 'lo', '--count', '6', '--duration', '20', '--color', 'never', 'tcp', 'port', String(port)]);
    await live.listening;
    for (let i = 0; i < 3; i++) await connect(port).then((s) => s.destroy(), () => undefined);
    const r = await live.done;
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^#\d+\s+\d+\s/.test(l));
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['#1 1', '#1 2', '#2 3', '#2 4', '#3 5', '#3 6']);
    expect(rows[1]).toContain('RST: connection refused (no listener)');
    expect(r.stdout.match(/^Verdict: refused/gm)?.length).toBe(3);
    expect(r.stdout).toContain('Summary: 3 connections (refused 3)');
    expect(r.stdout).toMatch(/6 packets received by filter|12 packets received by filter/);
    expect(r.stdout).toMatch(/, 0 dropped by kernel, 6 captured/);
  });

  it.skipIf(skip)('--duration, --stuck-after, -w: a half-close and a stuck CLOSE_WAIT; analyze of the file gives the same verdicts', async () => {
    const file = join(dir, 'live.pcap');
    const held: Socket[] = [];
    const { server, port } = await listen((s) => {
      held.push(s);
      s.on('data', (b: Buffer) => {
        if (b.toString().includes('Exit')) setTimeout(() => s.write('Bye', () => s.end()), 30);
      });
      // The second connection's server never closes: CLOSE_WAIT.
    });
    try {
      const live = startCli(['live', '-i', 'lo', '--duration', '3', '--stuck-after', '1', '-w', file, '--format', 'ndjson', 'tcp', 'port', String(port)]);
      await live.listening;
      const a = await connect(port);
      const bye = readUntil(a, 'Bye');
      await send(a, 'Exit');
      a.end();
      await bye;
      await ended(a);
      a.destroy();
      const b = await connect(port);
      await send(b, 'hello');
      await sleep(20);
      b.destroy();
      const r = await live.done;
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as FlowJson & { summary?: unknown; capture?: { dropped: number } });
      const flows = lines.filter((l) => l.summary === undefined);
      expect(verdicts(flows)).toEqual([
        { class: 'half-close', detail: null, closer: 'client', trailingBytes: 3 },
        { class: 'stuck', detail: 'close-wait', closer: 'client', trailingBytes: 0 },
      ]);
      expect(lines.at(-1)?.capture?.dropped).toBe(0);
      expect(r.stderr).toMatch(/warning: connection 2 has sat in CLOSE_WAIT \/ FIN_WAIT_2 for 1\.\d s/);

      const back = runCli(['analyze', file, '--format', 'json']);
      expect(back.code).toBe(0);
      expect(verdicts((JSON.parse(back.stdout) as { flows: FlowJson[] }).flows)).toEqual(verdicts(flows));
    } finally {
      for (const s of held) s.destroy();
      server.close();
    }
  });

  it.skipIf(skip)('a stuck warning names the process that holds the socket and the kernel\'s state: a python3 server that never closes', async () => {
    // Accepts one connection, reads to the client's FIN, never closes (CLOSE_WAIT); ends when its standard input closes, or after 30 s.
    const script = [
      'import signal, socket, sys', 'signal.alarm(30)',
      's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1); print(s.getsockname()[1], flush=True)',
      'c, _ = s.accept()', 'while c.recv(4096): pass', 'sys.stdin.read()',
    ].join('\n');
    const server = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      server.stdout.once('data', (b: Buffer) => resolve(Number(b.toString().trim())));
      server.once('error', reject);
    });
    let client: Socket | undefined;
    try {
      // The same capture in Chinese beside it, at no extra time: every word of its lines is (render/live-words.ts).
      const args = ['live', '-i', 'lo', '--duration', '3', '--stuck-after', '1', '--no-packets', '--color', 'never', 'tcp', 'port', String(port)];
      const live = startCli(args);
      const zhLive = startCli([...args, '--lang', 'zh']);
      await Promise.all([live.listening, zhLive.listening]);
      client = await connect(port);
      await send(client, 'hello');
      client.end(); // its FIN: this process keeps the socket, in FIN_WAIT_2
      const [r, zh] = await Promise.all([live.done, zhLive.done]);
      expect(r.code, r.stderr).toBe(0);
      const warning = r.stdout.split('\n').find((l) => l.startsWith('warning: connection 1 '));
      expect(warning).toMatch(new RegExp(
        `^warning: connection 1 has sat in CLOSE_WAIT / FIN_WAIT_2 for \\d+\\.\\d s: the server received the client's FIN \\(#\\d+\\) but has not closed its socket ` +
        `\\(kernel: server CLOSE_WAIT, pid ${server.pid} python3[^,;]*; client FIN_WAIT_2, pid ${process.pid} [^;]+\\)$`));
      expect(zh.code, zh.stderr).toBe(0);
      expect(zh.stderr).toMatch(/^teardown: 正在 lo 上监听（过滤器 'tcp port \d+'）；按 Ctrl-C 停止并打印摘要\n/);
      const zhWarning = zh.stdout.split('\n').find((l) => l.startsWith('警告：连接 1 '));
      expect(zhWarning).toMatch(new RegExp(
        `^警告：连接 1 已停在 CLOSE_WAIT / FIN_WAIT_2 \\d+\\.\\d 秒：服务器收到了客户端的 FIN（#\\d+），但还没有关闭它的套接字` +
        `（内核：服务器 CLOSE_WAIT，进程 ${server.pid} python3[^，；]*；客户端 FIN_WAIT_2，进程 ${process.pid} [^；]+）$`));
      expect(zh.stdout).toMatch(/^lo 上的抓包（过滤器 'tcp port \d+'）：过滤器收到 \d+ 个分组，内核丢弃 0 个，抓取 \d+ 个$/m);
    } finally {
      client?.destroy();
      server.stdin.end();
      server.kill();
    }
  });

  it.skipIf(skip)('Ctrl-C (SIGINT) stops the capture, prints the summary and exits 0', async () => {
    const port = await closedPort();
    const live = startCli(['live', '-i', 'lo', '--color', 'never', 'tcp', 'port', String(port)]);
    await live.listening;
    await connect(port).catch(() => undefined);
    await sleep(200);
    live.interrupt();
    const r = await live.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Summary: 1 connection (refused 1)');
    expect(r.stdout).toMatch(/0 dropped by kernel, 2 captured/);
  });

  it.skipIf(skip)('an unknown interface lists the real ones (exit 2, one line)', () => {
    const r = runCli(['live', '-i', 'nosuch0', '--duration', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^teardown: no interface nosuch0; interfaces: .*\blo\b/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(skip)('a bad filter shows libpcap\'s message (exit 2, one line)', () => {
    const r = runCli(['live', '-i', 'lo', '--duration', '1', 'tcp', 'port']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("teardown: bad capture filter 'tcp port': can't parse filter expression: syntax error");
  });

  it.skipIf(skip)('a missing tcpdump says what to install', () => {
    const env = { ...process.env, TEARDOWN_TCPDUMP: '/nonexistent/tcpdump' };
    const r = spawnSync(process.execPath, [CLI, 'live', '-i', 'lo', '--duration', '1'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('apt-get install tcpdump');
  });

  const noSetpriv = spawnSync('setpriv', ['--version']).error !== undefined;
  if (!skip && noSetpriv) console.warn('test/live: skipping the CAP_NET_RAW message test: setpriv (util-linux) is not installed');
  it.skipIf(skip || noSetpriv)('without CAP_NET_RAW, says so and how to grant it', () => {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, CLI, 'live', '-i', 'lo', '--duration', '1'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('needs root or CAP_NET_RAW');
    expect(r.stderr).toContain('setcap cap_net_raw,cap_net_admin=eip');
  });
});
