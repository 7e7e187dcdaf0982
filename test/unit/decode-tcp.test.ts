/**
 * The TCP layer (decode/tcp.ts) through the one decoder: header fields, options (read on demand
 * from the record's bytes) and damaged headers. Packets are raw IPv4 (link type 101), 10.0.0.1.54210
 * > 10.0.0.2.80, seq 40960, ack 45056, win 512; each with its `tcpdump -nn -X` dump.
 */
import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/decode/segment.js';
import { hex } from './bytes.js';
import { decodeBytes, decodeRecord, record, segmentOf } from './decoding.js';

const IP = (totalLength: string): string => `4500 ${totalLength} 0000 4000 4006 0000 0a00 0001 0a00 0002`;
const TCP = (offsetAndFlags: string): string => `d3c2 0050 0000 a000 0000 b000 ${offsetAndFlags} 0200 0000 0000`;

describe('TCP layer: options', () => {
  const cases: Array<[string, Uint8Array, unknown[]]> = [
    // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [.], ack 45056, win 512, options [nop,nop,sack 2 {4294922497:4294922753}{4294923009:4294923265}], length 0
    // 	0x0000:  4500 003c 0000 4000 4006 0000 0a00 0001  E..<..@.@.......
    // 	0x0010:  0a00 0002 d3c2 0050 0000 a000 0000 b000  .......P........
    // 	0x0020:  a010 0200 0000 0000 0101 0512 0000 0100  ................
    // 	0x0030:  0000 0200 0000 0300 0000 0400            ............
    ['SACK with two blocks', hex(`${IP('003c')} ${TCP('a010')}  0101 0512 0000 0100 0000 0200 0000 0300 0000 0400`),
      [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[256, 512], [768, 1024]] }]],
    // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [.], ack 45056, win 512, options [nop,nop,TS val 1 ecr 4294967295], length 0
    // 	0x0000:  4500 0034 0000 4000 4006 0000 0a00 0001  E..4..@.@.......
    // 	0x0010:  0a00 0002 d3c2 0050 0000 a000 0000 b000  .......P........
    // 	0x0020:  8010 0200 0000 0000 0101 080a 0000 0001  ................
    // 	0x0030:  ffff ffff                                ....
    ['timestamps', hex(`${IP('0034')} ${TCP('8010')}  0101 080a 0000 0001 ffff ffff`),
      [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', tsval: 1, tsecr: 0xffffffff }]],
    // Data offset 7: 8 option bytes, then 4 of payload.
    // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [.], seq 40960:40964, ack 45056, win 512, options [mss 1460,eol], length 4: HTTP
    // 	0x0000:  4500 0034 0000 4000 4006 0000 0a00 0001  E..4..@.@.......
    // 	0x0010:  0a00 0002 d3c2 0050 0000 a000 0000 b000  .......P........
    // 	0x0020:  7010 0200 0000 0000 0204 05b4 0001 0303  p...............
    // 	0x0030:  0700 0000                                ....
    ['EOL stops', hex(`${IP('0034')} ${TCP('7010')}  0204 05b4 0001 0303  0700 0000`), [{ kind: 'mss', value: 1460 }, { kind: 'eol' }]],
    // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [.], ack 45056, win 512, options [mptcp 4 unknown,nop,nop,wscale 7,nop,nop,nop], length 0
    // 	0x0000:  4500 0034 0000 4000 4006 0000 0a00 0001  E..4..@.@.......
    // 	0x0010:  0a00 0002 d3c2 0050 0000 a000 0000 b000  .......P........
    // 	0x0020:  8010 0200 0000 0000 1e04 abcd 0101 0303  ................
    // 	0x0030:  0701 0101                                ....
    ['an unknown kind (30, MPTCP) kept as other', hex(`${IP('0034')} ${TCP('8010')}  1e04 abcd 0101 0303 0701 0101`),
      [{ kind: 'other', type: 30, data: hex('abcd') }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'ws', shift: 7 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }]],
    // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [.], seq 40960:40964, ack 45056, win 512, options [wscale 7,[bad opt]]
    // 	0x0000:  4500 0034 0000 4000 4006 0000 0a00 0001  E..4..@.@.......
    // 	0x0010:  0a00 0002 d3c2 0050 0000 a000 0000 b000  .......P........
    // 	0x0020:  7010 0200 0000 0000 0303 0702 0100 0000  p...............
    // 	0x0030:  0000 0000                                ....
    ['a length of 1 ends the options', hex(`${IP('0034')} ${TCP('7010')}  0303 0702 0100 0000  0000 0000`), [{ kind: 'ws', shift: 7 }]],
    // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [.], ack 45056, win 512, options [nop,nop,[bad opt]]
    // 	0x0000:  4500 002c 0000 4000 4006 0000 0a00 0001  E..,..@.@.......
    // 	0x0010:  0a00 0002 d3c2 0050 0000 a000 0000 b000  .......P........
    // 	0x0020:  6010 0200 0000 0000 0101 0208            `...........
    ['a length past the header ends the options', hex(`${IP('002c')} ${TCP('6010')}  0101 0208`), [{ kind: 'nop' }, { kind: 'nop' }]],
    // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [.], ack 45056, win 512, options [[bad opt]
    // 	0x0000:  4500 002c 0000 4000 4006 0000 0a00 0001  E..,..@.@.......
    // 	0x0010:  0a00 0002 d3c2 0050 0000 a000 0000 b000  .......P........
    // 	0x0020:  6010 0200 0000 0000 0205 05b4            `...........
    ['MSS with the wrong length ends the options', hex(`${IP('002c')} ${TCP('6010')}  0205 05b4`), []],
  ];
  it.each(cases)('%s', (_name, data, options) => {
    expect(segmentOf(decodeBytes(101, data)).options).toEqual(options);
  });

  it('options cut by the capture: what is there', () => {
    // The timestamps packet with an MSS before them (data offset 8), captured up to the middle of TS.
    const whole = hex(`${IP('0034')} ${TCP('8010')}  0204 05b4 0101 080a 0000 0001 0000 0000`);
    expect(segmentOf(decodeRecord({ ...record(101, whole.subarray(0, 48)), origLen: whole.length })).options).toEqual([{ kind: 'mss', value: 1460 }, { kind: 'nop' }, { kind: 'nop' }]);
  });

  it('an unknown option keeps a copy of its value, not a view of the reader\'s buffer', () => {
    const data = hex(`${IP('0034')} ${TCP('8010')}  1e04 abcd 0101 0303 0701 0101`);
    const options = segmentOf(decodeBytes(101, data)).options;
    data.fill(0);
    expect(options[0]).toEqual({ kind: 'other', type: 30, data: hex('abcd') });
  });
});

describe('TCP layer: header fields', () => {
  // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [P.], seq 40960:40963, ack 45056, win 512, length 3: HTTP
  // 	0x0000:  4500 002b 0000 4000 4006 0000 0a00 0001  E..+..@.@.......
  // 	0x0010:  0a00 0002 d3c2 0050 0000 a000 0000 b000  .......P........
  // 	0x0020:  5018 0200 0000 0000 0000 00              P..........
  const PSH_3 = hex(`${IP('002b')} ${TCP('5018')}  0000 00`);

  it('ports, numbers, flags, window, urgent and payload length', () => {
    expect(decodeRecord(record(101, PSH_3, 42))).toEqual({
      no: 42, tsSec: 1700000000, tsNsec: 123456000, ipVersion: 4, src: '10.0.0.1', dst: '10.0.0.2', srcV4: 0x0a000001, dstV4: 0x0a000002,
      srcPort: 54210, dstPort: 80, seq: 40960, ack: 45056, flags: TcpFlag.PSH | TcpFlag.ACK, window: 512, urgent: 0, payloadLen: 3, ttl: 64, headerCut: false, options: [],
    });
  });

  it('every flag bit, AE included, and an address above 127.255.255.255 as a negative srcV4', () => {
    const pkt = PSH_3.slice();
    pkt.set(hex('c0a8 0001'), 12);
    pkt.set(hex('51ff'), 32);
    expect(segmentOf(decodeBytes(101, pkt))).toMatchObject({ flags: 0x1ff, src: '192.168.0.1', srcV4: 0xc0a80001 | 0 });
  });
});

describe('TCP layer: damaged headers, with the reason and its message', () => {
  const cases: Array<[string, Uint8Array, string, string]> = [
    ['data offset 0', hex(`${IP('0028')} ${TCP('0010')}`), 'malformed', 'TCP data offset 0 < 5'],
    ['data offset 4', hex(`${IP('0028')} ${TCP('4010')}`), 'malformed', 'TCP data offset 4 < 5'],
    ['data offset 15 beyond the IP payload', hex(`${IP('0028')} ${TCP('f010')}`), 'malformed', 'TCP header length 60 > IP payload length 20'],
    ['header cut by the capture', hex(`${IP('0028')} ${TCP('5010')}`).subarray(0, 39), 'truncated', 'TCP header'],
    ['no TCP header captured at all', hex(IP('0028')), 'truncated', 'TCP header'],
  ];
  it.each(cases)('%s', (_name, data, reason, detail) => {
    expect(decodeBytes(101, data)).toEqual({ reason, detail });
  });
});
