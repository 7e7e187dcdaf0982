import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/decode/segment.js';
import type { TcpSegment } from '../../src/decode/segment.js';
import { CONNECTION_FACTS } from '../../src/flow/schema.js';
import { ConnectionStore, K, markSet } from '../../src/flow/store.js';
import { ConnectionView, handshakeOf } from '../../src/flow/view.js';
import { TCP_STATES } from '../../src/tcp/states.js';
import { historyDigitsOf, historyText } from '../../src/flow/history.js';

/**
 * The view (view.ts and the generated getters): a connection of the store read in domain terms.
 * Each test writes the columns as the packet path would, for a connection in slot 2 (so that a
 * getter reading the wrong slot or the wrong side's cell shows), and reads it back through the view.
 */

/** A store with three connections; the view on the third. */
function third(): { s: ConnectionStore; c: ConnectionView; slot: number } {
  const s = new ConnectionStore();
  s.allocate();
  s.allocate();
  const slot = s.allocate();
  return { s, c: new ConnectionView(s, slot), slot };
}

/** `finAck` → `FIN_ACK`: how the generator names a fact's presence bit. */
const upper = (name: string): string => name.replace(/[A-Z]/g, (ch) => `_${ch}`).toUpperCase();
/** The generated file, whose const enum K (written into the code as literals) names the bits. */
const GENERATED = readFileSync(new URL('../../src/flow/store-columns.generated.ts', import.meta.url), 'utf8');
const constant = (name: string): number => {
  const member = new RegExp(`^  ${name} = (\\d+),`, 'm').exec(GENERATED);
  if (member === null) throw new Error(`no constant ${name} in store-columns.generated.ts`);
  return Number(member[1]);
};
const column = (s: ConnectionStore, name: string): { [i: number]: number; length: number } => {
  const value: unknown = Reflect.get(s, name);
  if (!ArrayBuffer.isView(value)) throw new Error(`no column ${name}`);
  return value as unknown as { [i: number]: number; length: number };
};
const read = (o: object, name: string): unknown => Reflect.get(o, name);

describe('the generated getters read the declared facts (schema.ts), each at its slot and side', () => {
  for (const fact of CONNECTION_FACTS.filter((f) => !f.internal)) {
    it(`${fact.per === 'side' ? 'side' : 'connection'} fact ${fact.name} (${fact.kind})`, () => {
      const { s, c, slot } = third();
      const owners = fact.per === 'side' ? [c.client, c.server] : [c];
      owners.forEach((owner, i) => {
        const at = fact.per === 'side' ? slot * 2 + i : slot;
        const v = 7 + i * 3; // a different value for each side
        switch (fact.kind) {
          case 'number':
            column(s, fact.name)[at] = v;
            expect(read(owner, fact.name)).toBe(v);
            break;
          case 'packet':
            expect(read(owner, fact.name)).toBeUndefined();
            column(s, fact.name)[at] = v;
            expect(read(owner, fact.name)).toBe(v);
            break;
          case 'seq': {
            column(s, fact.name)[at] = 4_000_000_000 + v;
            expect(read(owner, fact.name)).toBeUndefined();
            markSet(s, at, constant(`${upper(fact.name)}_SET`));
            expect(read(owner, fact.name)).toBe(4_000_000_000 + v);
            break;
          }
          case 'time': {
            column(s, `${fact.name}Sec`)[at] = 1_700_000_000 + v;
            column(s, `${fact.name}Nsec`)[at] = 999_999_000 + v;
            if (fact.per === 'side') {
              expect(read(owner, `${fact.name}Time`)).toBeUndefined();
              markSet(s, at, constant(`${upper(fact.name)}_TIME_SET`));
            } else {
              expect(read(owner, `${fact.name}Sec`)).toBe(1_700_000_000 + v);
              expect(read(owner, `${fact.name}Nsec`)).toBe(999_999_000 + v);
            }
            expect(read(owner, `${fact.name}Time`)).toEqual({ sec: 1_700_000_000 + v, nsec: 999_999_000 + v });
            break;
          }
          case 'state':
            column(s, fact.name)[at] = v;
            expect(read(owner, fact.name)).toBe(TCP_STATES[v]);
            expect(read(owner, 'stateNo')).toBe(v);
            break;
          case 'flags':
            (fact.bits ?? []).forEach((bit, b) => {
              column(s, fact.name)[at] = 1 << b;
              for (const other of fact.bits ?? []) expect(read(owner, other), `${other} with only ${bit} set`).toBe(other === bit);
            });
            break;
          case 'list': {
            const listNo = constant(upper(fact.name));
            const cell = at * K.LISTS + listNo;
            expect(read(owner, fact.name)).toEqual([]);
            expect(read(owner, `${fact.name}First`)).toBeUndefined();
            s.addToList(cell, v);
            expect(read(owner, fact.name)).toEqual([v]);
            expect(read(owner, `${fact.name}First`)).toBe(v);
            s.addToList(cell, v + 1);
            s.addToList(cell, v + 2);
            expect(read(owner, fact.name)).toEqual([v, v + 1, v + 2]);
            expect(read(owner, `${fact.name}Count`)).toBe(3);
            expect(read(owner, `${fact.name}First`)).toBe(v);
            // Taken off (an RST found ignored, track.ts): the first, one not there, then down to one and none.
            s.removeFromList(cell, v);
            expect([read(owner, fact.name), read(owner, `${fact.name}Count`), read(owner, `${fact.name}First`)]).toEqual([[v + 1, v + 2], 2, v + 1]);
            s.removeFromList(cell, v);
            expect(read(owner, fact.name)).toEqual([v + 1, v + 2]);
            s.removeFromList(cell, v + 2);
            expect([read(owner, fact.name), read(owner, `${fact.name}Count`), read(owner, `${fact.name}First`)]).toEqual([[v + 1], 1, v + 1]);
            s.removeFromList(cell, v + 1);
            expect([read(owner, fact.name), read(owner, `${fact.name}Count`), read(owner, `${fact.name}First`)]).toEqual([[], 0, undefined]);
            break;
          }
          case 'history':
            column(s, `${fact.name}Seq`)[at] = 0x12c; // S, H, a
            expect(read(owner, fact.name)).toBe('SHa');
            break;
        }
      });
      // The neighbouring connections read nothing of it.
      for (const other of [new ConnectionView(s, slot - 1), new ConnectionView(s, slot - 2)]) {
        for (const owner of fact.per === 'side' ? [other.client, other.server] : [other]) {
          const name = fact.kind === 'time' && fact.per === 'side' ? `${fact.name}Time` : fact.kind === 'time' ? `${fact.name}Sec` : fact.kind === 'history' ? 'history' : fact.name;
          const value = read(owner, name);
          expect([undefined, 0, '', false, 'CLOSED', TCP_STATES[0]]).toContainEqual(Array.isArray(value) && value.length === 0 ? undefined : value);
        }
      }
    });
  }
});

describe('the view in domain terms (view.ts)', () => {
  it('the handshake: complete only with SYN, SYN-ACK and its ACK; partial with SYN or SYN-ACK; else none', () => {
    const expected = (bits: number): string =>
      bits === (K.SAW_SYN | K.SAW_SYN_ACK | K.SAW_HANDSHAKE_ACK) ? 'complete' : bits & (K.SAW_SYN | K.SAW_SYN_ACK) ? 'partial' : 'none';
    for (let bits = 0; bits < 8; bits++) {
      expect(handshakeOf(bits), `flags ${bits}`).toBe(expected(bits));
      expect(handshakeOf(bits | K.TEXT_IDS | K.ENDED_SEEN), `flags ${bits} and others`).toBe(expected(bits));
    }
    const { s, c, slot } = third();
    s.flags[slot] = K.SAW_SYN | K.SAW_SYN_ACK | K.SAW_HANDSHAKE_ACK;
    expect([c.handshake, c.flagBits]).toEqual(['complete', 7]);
  });

  it('IPv4 addresses as dotted quads (the high bit set or not), ports, endpoints, names and peers', () => {
    const { s, c, slot } = third();
    s.clientAddr[slot] = 0xc0a80001 | 0; // 192.168.0.1, negative as i32
    s.serverAddr[slot] = 0x0a000002;
    s.clientPort[slot] = 65535;
    s.serverPort[slot] = 80;
    expect([c.client.addressId, c.server.addressId]).toEqual([0xc0a80001 | 0, 0x0a000002]);
    expect([c.client.ip, c.server.ip]).toEqual(['192.168.0.1', '10.0.0.2']);
    expect(c.client.ip).toBe('192.168.0.1'); // and again, from the cache
    expect([c.client.endpoint(), c.server.endpoint()]).toEqual([{ ip: '192.168.0.1', port: 65535 }, { ip: '10.0.0.2', port: 80 }]);
    expect([c.client.name, c.server.name, c.client.peer.name, c.server.peer.name]).toEqual(['client', 'server', 'server', 'client']);
    expect([c.client.cell, c.server.cell]).toEqual([slot * 2, slot * 2 + 1]);
    expect(c.client.store).toBe(s);
  });

  it('addresses kept as text (IPv6) are read from the Extra', () => {
    const { s, c, slot } = third();
    s.flags[slot] = K.TEXT_IDS;
    s.setExtra(slot, { key: 'k', clientText: '2001:db8::1', serverText: '2001:db8::2' });
    expect([c.client.addressId, c.server.addressId, c.client.ip, c.server.ip]).toEqual(['2001:db8::1', '2001:db8::2', '2001:db8::1', '2001:db8::2']);
    expect(s.flags[slot]).toBe(K.TEXT_IDS | K.HAS_EXTRA);
  });

  it('fromClient: by port, then by address, whatever the address kind', () => {
    const { s, c, slot } = third();
    // Loopback: the same address both ends, only the port tells the sides apart.
    s.clientAddr[slot] = 0x7f000001;
    s.serverAddr[slot] = 0x7f000001;
    s.clientPort[slot] = 40000;
    s.serverPort[slot] = 80;
    const seg = (src: string, srcPort: number, srcV4?: number): TcpSegment => ({
      no: 1, tsSec: 0, tsNsec: 0, ipVersion: 4, src, dst: '', srcV4, dstV4: undefined, srcPort, dstPort: 0,
      seq: 0, ack: 0, flags: TcpFlag.SYN | TcpFlag.ACK, window: 0, urgent: 0, payloadLen: 0, options: [],
    });
    expect(c.fromClient(seg('127.0.0.1', 40000, 0x7f000001))).toBe(true);
    expect(c.fromClient(seg('127.0.0.1', 80, 0x7f000001))).toBe(false);
    // Same port both ends: the address decides.
    s.serverPort[slot] = 40000;
    s.serverAddr[slot] = 0x7f000002;
    expect(c.fromClient(seg('127.0.0.2', 40000, 0x7f000002))).toBe(false);
    expect(c.fromClient(seg('127.0.0.1', 40000, 0x7f000001))).toBe(true);
    s.flags[slot] = K.TEXT_IDS;
    s.setExtra(slot, { clientText: '::1', serverText: '::2' });
    expect(c.fromClient(seg('::1', 40000))).toBe(true);
    expect(c.fromClient(seg('::2', 40000))).toBe(false);
  });

  it('markEnded: false the first time, true after', () => {
    const { s, c, slot } = third();
    s.flags[slot] = K.SAW_SYN;
    expect(c.markEnded()).toBe(false);
    expect(c.endedSeen).toBe(true);
    expect(c.sawSyn).toBe(true);
    expect(c.markEnded()).toBe(true);
    expect(new ConnectionView(s, slot - 1).endedSeen).toBe(false);
  });

  it('ended (a RST or both FINs) and closed (a RST or both FINs acknowledged), side by side', () => {
    const cases: Array<[what: string, set: (s: ConnectionStore, slot: number) => void, ended: boolean, closed: boolean]> = [
      ['nothing', () => {}, false, false],
      ['client FIN', (s, k) => { s.finNo[k * 2] = 4; }, false, false],
      ['server FIN', (s, k) => { s.finNo[k * 2 + 1] = 4; }, false, false],
      ['both FINs', (s, k) => { s.finNo[k * 2] = 4; s.finNo[k * 2 + 1] = 5; }, true, false],
      ['both FINs, the client\'s ACKed', (s, k) => { s.finNo[k * 2] = 4; s.finNo[k * 2 + 1] = 5; s.finAckNo[k * 2] = 5; }, true, false],
      ['both FINs, the server\'s ACKed', (s, k) => { s.finNo[k * 2] = 4; s.finNo[k * 2 + 1] = 5; s.finAckNo[k * 2 + 1] = 6; }, true, false],
      ['both FINs ACKed', (s, k) => { s.finNo[k * 2] = 4; s.finNo[k * 2 + 1] = 5; s.finAckNo[k * 2] = 5; s.finAckNo[k * 2 + 1] = 6; }, true, true],
      ['client RST', (s, k) => s.addToList(k * 2 * K.LISTS + K.RST_NOS, 3), true, true],
      ['server RST', (s, k) => s.addToList((k * 2 + 1) * K.LISTS + K.RST_NOS, 3), true, true],
    ];
    for (const [what, set, ended, closed] of cases) {
      const { s, c, slot } = third();
      set(s, slot);
      expect([c.ended, c.closed], what).toEqual([ended, closed]);
    }
  });

  it('no Extra: no Wireshark view and no rows', () => {
    const { s, c, slot } = third();
    expect([c.view, c.rows]).toEqual([undefined, undefined]);
    s.setExtra(slot, { rows: [] });
    expect([c.view, c.rows]).toEqual([undefined, []]);
  });

  it('addHistory keeps each letter once, in order of first sight', () => {
    const { c } = third();
    const seg = (flags: number, payloadLen = 0): TcpSegment => ({
      no: 1, tsSec: 0, tsNsec: 0, ipVersion: 4, src: '', dst: '', srcPort: 0, dstPort: 0,
      seq: 0, ack: 0, flags, window: 0, urgent: 0, payloadLen, options: [],
    });
    c.addHistory(seg(TcpFlag.SYN), true);
    c.addHistory(seg(TcpFlag.SYN | TcpFlag.ACK), false);
    c.addHistory(seg(TcpFlag.SYN), true);
    c.addHistory(seg(TcpFlag.ACK), true);
    c.addHistory(seg(TcpFlag.ACK, 5), true);
    c.addHistory(seg(TcpFlag.ACK), true);
    expect(c.history).toBe('ShAD');
    expect(c.historyDigits).toBe(0x1865);
    c.addHistory(seg(TcpFlag.FIN | TcpFlag.ACK), false);
    c.addHistory(seg(TcpFlag.RST), true);
    c.addHistory(seg(TcpFlag.FIN | TcpFlag.ACK), false);
    expect(c.history).toBe('ShADfR');
  });
});

describe('history digits and text (history.ts)', () => {
  it('historyDigitsOf reads back what historyText wrote, up to all twelve letters', () => {
    expect(historyDigitsOf('')).toBe(0);
    expect(historyDigitsOf('S')).toBe(1);
    expect(historyDigitsOf('ShAD')).toBe(0x1865);
    for (const digits of [0x1, 0x12c, 0x1865, 0x123456789abc, 0xcba987654321]) expect(historyDigitsOf(historyText(digits))).toBe(digits);
  });
});
