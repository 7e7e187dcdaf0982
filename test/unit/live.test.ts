import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveCapture, LiveCaptureError, diagnose, listInterfaces, type LiveOptions } from '../../src/capture/live.js';
import type { CaptureRecord } from '../../src/capture/record.js';
import { hex } from './bytes.js';

/**
 * The live reading stage (capture/live.ts) in this process, against a stand-in tcpdump: a shell
 * script that records its arguments, writes to stderr what tcpdump writes there and a pcap stream
 * to stdout. No root, no interface: what is checked is the command line built, the listening
 * handshake, the one-line failures, the closing counts and the -w copy. test/live runs the real
 * tcpdump through the built CLI.
 */
const dir = mkdtempSync(join(tmpdir(), 'teardown-live-'));
let scripts = 0;

// Little-endian, microseconds, EN10MB; two records of 4 and 6 bytes (as in capture.pcap.test.ts).
const PCAP = hex(`
  d4c3 b2a1 0200 0400 0000 0000 0000 0000 ffff 0000 0100 0000
  00f1 5365 40e2 0100 0400 0000 3c00 0000 dead beef
  01f1 5365 0000 0000 0600 0000 0600 0000 0102 0304 0506
`);
const PCAP_FILE = join(dir, 'two.pcap');
writeFileSync(PCAP_FILE, PCAP);

interface Fake {
  tcpdump: string;
  /** The arguments of its last run, one a line. */
  args: () => string[];
}

/** A stand-in tcpdump running `body` (sh); `tcpdump -D` lists `lo` and `eth0` unless `list` says otherwise. */
function fake(body: string, list = "printf '1.lo [Up, Running, Loopback]\\n2.eth0 [Up]\\n'"): Fake {
  const n = ++scripts;
  const tcpdump = join(dir, `tcpdump-${n}`);
  const argsFile = join(dir, `args-${n}`);
  writeFileSync(tcpdump, `#!/bin/sh
printf '%s\\n' "$@" > '${argsFile}'
if [ "$1" = "-D" ]; then ${list}; exit 0; fi
${body}
`);
  chmodSync(tcpdump, 0o755);
  return { tcpdump, args: () => readFileSync(argsFile, 'utf8').split('\n').slice(0, -1) };
}

const LISTENING = "echo 'tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes' >&2";
const STATS = "printf '12 packets captured\\n345 packets received by filter\\n1 packet dropped by kernel\\n' >&2";

function options(f: Fake, more: Partial<LiveOptions> = {}): LiveOptions {
  return { iface: 'lo', filter: [], tcpdump: f.tcpdump, ...more };
}

/** Starts a capture, collecting each record's number and bytes. */
async function run(o: LiveOptions): Promise<{ capture: LiveCapture; seen: string[] }> {
  const seen: string[] = [];
  const capture = await LiveCapture.start(o, (r: CaptureRecord) => void seen.push(`${r.no}:${Buffer.from(r.data).toString('hex')}`));
  return { capture, seen };
}

describe('live capture: the tcpdump command line', () => {
  const cases: Array<[string, Partial<LiveOptions>, string[]]> = [
    ['defaults', {}, ['-i', 'lo', '-U', '-w', '-', '--immediate-mode']],
    ['not immediate', { immediate: false }, ['-i', 'lo', '-U', '-w', '-']],
    ['immediate said', { immediate: true }, ['-i', 'lo', '-U', '-w', '-', '--immediate-mode']],
    ['every option and a filter', { count: 5, snaplen: 96, bufferKiB: 4096, filter: ['tcp', 'port', '80'] },
      ['-i', 'lo', '-U', '-w', '-', '--immediate-mode', '-c', '5', '-s', '96', '-B', '4096', '--', 'tcp', 'port', '80']],
    ['zero values are still passed', { count: 0, snaplen: 0, bufferKiB: 0, immediate: false },
      ['-i', 'lo', '-U', '-w', '-', '-c', '0', '-s', '0', '-B', '0']],
  ];
  it.each(cases)('%s', async (_name, more, args) => {
    const f = fake(`${LISTENING}; cat '${PCAP_FILE}'`);
    const { capture } = await run(options(f, more));
    await capture.done;
    expect(f.args()).toEqual(args);
  });
});

describe('live capture: a run', () => {
  it('parses the stream, reads the closing counts and keeps the other stderr lines', async () => {
    const f = fake(`echo 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode' >&2; ${LISTENING}
cat '${PCAP_FILE}'; echo 'tcpdump: warning: lo: no IPv4 address assigned' >&2; echo 'note: 7 packets captured earlier' >&2; ${STATS}`);
    const before = Date.now();
    const { capture, seen } = await run(options(f));
    const result = await capture.done;
    const after = Date.now();
    expect(seen).toEqual(['1:deadbeef', '2:010203040506']);
    expect(capture.records).toBe(2);
    expect(result).toMatchObject({
      info: { format: 'pcap', linkTypes: [1] }, damage: undefined, records: 2,
      stats: { captured: 12, received: 345, dropped: 1 },
      messages: ['warning: lo: no IPv4 address assigned', 'note: 7 packets captured earlier'],
    });
    const stopped = result.stoppedAt.sec * 1000 + result.stoppedAt.nsec / 1e6;
    expect(stopped).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(stopped).toBeLessThanOrEqual(after);
    expect(result.stoppedAt.nsec % 1e6).toBe(0);
    expect(result.stoppedAt.nsec).toBeLessThan(1e9);
  });

  it('"listening on" without the "tcpdump: " prefix, and counts in the singular', async () => {
    const f = fake("echo 'listening on lo' >&2; printf '1 packet captured\\n1 packet received by filter\\n0 packets dropped by kernel\\n' >&2");
    const { capture } = await run(options(f));
    expect(await capture.done).toMatchObject({ info: undefined, records: 0, damage: undefined, messages: [],
      stats: { captured: 1, received: 1, dropped: 0 } });
  });

  it('no counts printed: null, and a last line without a newline still counts', async () => {
    const f = fake(`${LISTENING}; printf 'tcpdump: pcap_loop: The interface went down' >&2; exit 1`);
    const { capture } = await run(options(f));
    expect(await capture.done).toMatchObject({
      stats: { captured: null, received: null, dropped: null },
      messages: ['pcap_loop: The interface went down'],
      failure: 'tcpdump exited with status 1 during the capture',
    });
  });

  it('a stream cut short in a record is damage, not an error', async () => {
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, PCAP.subarray(0, 50));
    const f = fake(`${LISTENING}; cat '${cut}'`);
    const { capture, seen } = await run(options(f));
    const result = await capture.done;
    expect(seen).toEqual(['1:deadbeef']);
    expect(result.damage).toEqual({ file: 'live capture', offset: 44, packet: 2,
      message: 'record cut short: 6 bytes left, less than a 16-byte record header' });
  });

  it('blank stderr lines are neither listening nor messages', async () => {
    const f = fake(`printf '\\n   \\n' >&2; ${LISTENING}; printf '\\n  \\n' >&2`);
    const { capture } = await run(options(f));
    expect((await capture.done).messages).toEqual([]);
  });

  it('a "listening on" after the first is a message, not a second start', async () => {
    const f = fake(`${LISTENING}; echo 'listening on lo' >&2`);
    const { capture } = await run(options(f));
    expect((await capture.done).messages).toEqual(['listening on lo']);
  });

  it('stop() interrupts tcpdump as Ctrl-C does, and does nothing once it has exited', async () => {
    const f = fake(`trap "${STATS.replace(/"/g, '\\"')}; exit 0" INT
cat '${PCAP_FILE}'; ${LISTENING}
while :; do sleep 0.02; done`);
    const { capture, seen } = await run(options(f));
    capture.stop();
    const result = await capture.done;
    expect(result.stats).toEqual({ captured: 12, received: 345, dropped: 1 });
    expect(result.messages).toEqual([]);
    expect(seen).toHaveLength(2);
    capture.stop();
  });

  it('tcpdump killed by a signal: no exit status to report, but a failure (live exits 2)', async () => {
    const f = fake(`${LISTENING}; kill -9 $$`);
    const { capture } = await run(options(f));
    const result = await capture.done;
    expect(result.messages).toEqual([]);
    expect(result.failure).toBe('tcpdump was killed by SIGKILL during the capture');
  });

  it("-w keeps up with a stream larger than the file stream's buffer (the pipe pauses and resumes)", async () => {
    const records = Array.from({ length: 200 }, (_, i) => {
      const r = new Uint8Array(16 + 1000);
      const dv = new DataView(r.buffer);
      dv.setUint32(0, 1700000000 + i, true);
      dv.setUint32(8, 1000, true);
      dv.setUint32(12, 1000, true);
      r.fill(i & 0xff, 16);
      return r;
    });
    const big = Buffer.concat([PCAP.subarray(0, 24), ...records]);
    const bigFile = join(dir, 'big.pcap');
    writeFileSync(bigFile, big);
    const out = join(dir, 'big-copy.pcap');
    const f = fake(`${LISTENING}; cat '${bigFile}'`);
    const { capture, seen } = await run(options(f, { writeFile: out }));
    expect((await capture.done).records).toBe(200);
    expect(seen).toHaveLength(200);
    expect(readFileSync(out).equals(big)).toBe(true);
  });

  it('-w copies the raw stream to the file', async () => {
    const out = join(dir, 'copy.pcap');
    const f = fake(`${LISTENING}; cat '${PCAP_FILE}'`);
    const { capture } = await run(options(f, { writeFile: out }));
    await capture.done;
    expect(readFileSync(out)).toEqual(Buffer.from(PCAP));
  });

  it('-w into a missing directory or onto a directory fails before tcpdump starts', async () => {
    const f = fake(LISTENING);
    const missing = join(dir, 'no', 'such', 'x.pcap');
    await expect(LiveCapture.start(options(f, { writeFile: missing }), () => undefined))
      .rejects.toThrow(new LiveCaptureError(`cannot write ${missing}: no such directory`));
    const sub = join(dir, 'adir');
    mkdirSync(sub, { recursive: true });
    await expect(LiveCapture.start(options(f, { writeFile: sub }), () => undefined))
      .rejects.toThrow(new LiveCaptureError(`cannot write ${sub}: is a directory`));
  });
});

describe('live capture: failing to start', () => {
  const cases: Array<[string, string, Partial<LiveOptions>, string]> = [
    ['no permission', 'printf "tcpdump: lo: You don\'t have permission to perform this capture on that device\\n(socket: Operation not permitted)\\n" >&2; exit 1', {},
      "capturing on lo needs root or CAP_NET_RAW (tcpdump: lo: You don't have permission to perform this capture on that device): "
      + 'run teardown as root (sudo), or give tcpdump the capability: sudo setcap cap_net_raw,cap_net_admin=eip $(which tcpdump)'],
    ['no such device', "echo 'tcpdump: eth9: No such device exists' >&2; exit 1", { iface: 'eth9' }, 'no interface eth9; interfaces: lo, eth0'],
    ['a bad filter', "echo 'tcpdump: syntax error in filter expression' >&2; exit 1", { filter: ['port', 'x'] },
      "bad capture filter 'port x': syntax error in filter expression"],
    ['another failure', "echo '  tcpdump: something else  ' >&2; echo second >&2; exit 1", {}, 'tcpdump failed: something else'],
    ['no message at all', 'exit 1', {}, 'tcpdump failed: exited without a message'],
    ['"listening on" not at the start of the line', "echo 'tcpdump: lo: not listening on lo' >&2; exit 1", {}, 'tcpdump failed: lo: not listening on lo'],
  ];
  it.each(cases)('%s', async (_name, body, more, message) => {
    const f = fake(body);
    await expect(LiveCapture.start(options(f, more), () => undefined)).rejects.toMatchObject({ name: 'LiveCaptureError', message });
  });

  it('a failure to start also rejects done', async () => {
    const f = fake('exit 1');
    const c = LiveCapture.start(options(f), () => undefined);
    await expect(c).rejects.toBeInstanceOf(LiveCaptureError);
  });

  it('tcpdump missing, or not runnable', async () => {
    const missing = join(dir, 'no-tcpdump');
    await expect(LiveCapture.start({ iface: 'lo', filter: [], tcpdump: missing }, () => undefined))
      .rejects.toMatchObject({ name: 'LiveCaptureError', message: `${missing} not found: live capture needs tcpdump (apt-get install tcpdump)`, reason: { kind: 'no-tcpdump', tcpdump: missing } });
    const notExecutable = join(dir, 'not-executable');
    writeFileSync(notExecutable, '');
    chmodSync(notExecutable, 0o644);
    const err = await LiveCapture.start({ iface: 'lo', filter: [], tcpdump: notExecutable }, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveCaptureError);
    expect((err as Error).name).toBe('LiveCaptureError');
    expect((err as Error).message).toMatch(new RegExp(`^cannot run ${notExecutable}: spawn ${notExecutable} EACCES$`));
  });
});

describe('live capture: $TEARDOWN_TCPDUMP', () => {
  const saved = process.env['TEARDOWN_TCPDUMP'];
  afterEach(() => {
    if (saved === undefined) delete process.env['TEARDOWN_TCPDUMP'];
    else process.env['TEARDOWN_TCPDUMP'] = saved;
  });

  it('names the tcpdump to run when the options do not', async () => {
    const f = fake(`${LISTENING}; cat '${PCAP_FILE}'`);
    process.env['TEARDOWN_TCPDUMP'] = f.tcpdump;
    const { capture } = await LiveCapture.start({ iface: 'lo', filter: [] }, () => undefined).then((c) => ({ capture: c }));
    expect((await capture.done).records).toBe(2);
    expect(listInterfaces()).toEqual(['lo', 'eth0']);
  });

  it("empty or unset, it means tcpdump on the PATH (or, without one, the kernel's list)", () => {
    process.env['TEARDOWN_TCPDUMP'] = '';
    expect(() => listInterfaces()).not.toThrow();
    delete process.env['TEARDOWN_TCPDUMP'];
    expect(() => listInterfaces()).not.toThrow();
    const empty = fake('', 'true');
    // Which tcpdump runs is not observable without one installed; the fallback list is.
    expect(listInterfaces(empty.tcpdump)).toEqual(readdirSync('/sys/class/net').sort());
  });
});

describe('diagnose', () => {
  const f = fake('', "printf '1.lo [Up]\\nnot a line\\n2.wlan0\\nx 3.bogus\\n10.any (Pseudo-device)\\n'");
  const o = (more: Partial<LiveOptions> = {}): LiveOptions => ({ iface: 'eth9', filter: [], ...more });
  const cases: Array<[string, string, Partial<LiveOptions>, string]> = [
    ['permission', 'tcpdump: eth9: permission denied\n', {},
      'capturing on eth9 needs root or CAP_NET_RAW (tcpdump: eth9: permission denied): run teardown as root (sudo), or give tcpdump the capability: sudo setcap cap_net_raw,cap_net_admin=eip $(which tcpdump)'],
    ['PERMISSION in capitals', 'x: PERMISSION\n', {}, 'capturing on eth9 needs root or CAP_NET_RAW (tcpdump: x: PERMISSION): run teardown as root (sudo), or give tcpdump the capability: sudo setcap cap_net_raw,cap_net_admin=eip $(which tcpdump)'],
    ['operation not permitted, second line', 'first\nsocket: operation NOT permitted\n', {}, 'capturing on eth9 needs root or CAP_NET_RAW (tcpdump: first): run teardown as root (sudo), or give tcpdump the capability: sudo setcap cap_net_raw,cap_net_admin=eip $(which tcpdump)'],
    ['No such device', 'tcpdump: eth9: No such device exists\n', {}, 'no interface eth9; interfaces: lo, wlan0, any'],
    ["doesn't exist", "tcpdump: eth9: That device doesn't exist\n", {}, 'no interface eth9; interfaces: lo, wlan0, any'],
    ['no suitable device', 'tcpdump: no suitable device found\n', {}, 'no interface eth9; interfaces: lo, wlan0, any'],
    ['not up', 'tcpdump: eth9: That device is NOT UP\n', {}, 'no interface eth9; interfaces: lo, wlan0, any'],
    ['SIOCGIFHWADDR', 'tcpdump: SIOCGIFHWADDR: x\n', {}, 'no interface eth9; interfaces: lo, wlan0, any'],
    ['filter', 'tcpdump: syntax error\n', { filter: ['host', 'nowhere'] }, "bad capture filter 'host nowhere': syntax error"],
    ['other', '\n  \ntcpdump: tcpdump: odd\n', {}, 'tcpdump failed: tcpdump: odd'],
    ['empty', '', {}, 'tcpdump failed: exited without a message'],
    ['the prefix only at the start', 'xtcpdump: odd\n', {}, 'tcpdump failed: xtcpdump: odd'],
  ];
  it.each(cases)('%s', (_name, stderr, more, message) => {
    expect(diagnose(stderr, o(more), f.tcpdump).message).toBe(message);
  });

  it('no interface, and no list to offer', () => {
    const none = fake('', 'true');
    const kernel = readdirSync('/sys/class/net').sort();
    expect(diagnose('No such device\n', o(), none.tcpdump).message).toBe(`no interface eth9${kernel.length ? `; interfaces: ${kernel.join(', ')}` : ''}`);
    expect(listInterfaces(join(dir, 'no-tcpdump'))).toEqual(kernel);
  });

  it('listInterfaces asks tcpdump -D', () => {
    expect(listInterfaces(f.tcpdump)).toEqual(['lo', 'wlan0', 'any']);
    expect(f.args()).toEqual(['-D']);
  });
});
