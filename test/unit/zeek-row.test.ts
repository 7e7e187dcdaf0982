import { describe, expect, it } from 'vitest';
import { ByteLines } from '../../src/render/byte-lines.js';
import type { FlowJsonSide, FlowJsonSource, FlowJsonVerdict } from '../../src/render/json-columns.js';
import { ZeekLog } from '../../src/render/zeek.js';
import { historyDigitsOf } from '../../src/flow/history.js';

/**
 * A Zeek row written as bytes (zeek.ts) on what no fixture holds: times before the epoch (a capture
 * with a broken clock), an IPv6 endpoint, a detail, several causes, no closer. The rows below are
 * those the writer made from a list of values joined as strings, before it wrote bytes (checked
 * against that build).
 */
const side = (addressId: number | string, port: number, bytes: number): FlowJsonSide => ({ addressId, port, bytes, stateNo: 0 } as unknown as FlowJsonSide);
const source: FlowJsonSource = {
  id: 42, client: side(0x0a000001, 40000, 7), server: side('2001:db8::1', 443, 0), handshake: 'partial',
  firstPacket: 1, lastPacket: 9, startSec: -3, startNsec: 250_000, endSec: 2, endNsec: 999_999_999,
  historyDigits: historyDigitsOf('ShR'), rows: undefined, via: undefined,
};
const verdict = {
  keyNo: 0, class: 'abort', detail: 'handshake', closer: null, resetBy: 'client', trailingBytes: 0, stuckFor: null, evidence: [3],
  causes: [{ id: 'idle-timeout', side: 'path', evidence: [3], seconds: 31 }, { id: 'path-reset', side: 'path', evidence: [3], seconds: null }],
} as unknown as FlowJsonVerdict;

function row(json: boolean): string {
  const out = new ByteLines();
  const log = new ZeekLog(json);
  log.head(new ByteLines(), undefined); // the header is not what is tested
  log.add(out, source, verdict, undefined);
  return out.text();
}

describe('a Zeek row as bytes', () => {
  it('TSV: times before the epoch, IPv6, a detail, two causes, no closer', () => {
    expect(row(false)).toBe(['-2.999750', 'C42', '10.0.0.1', '40000', '2001:db8::1', '443', 'tcp', '-', '5.999749', '7', '0', 'RSTO', '-', '-', '-', 'ShR', '-', '-', '-', '-', '-', 'abort', 'handshake', 'idle-timeout,path-reset', '-'].join('\t') + '\n');
  });
  it('JSON: the same, unset fields left out', () => {
    expect(row(true)).toBe('{"ts":-2.999750,"uid":"C42","id.orig_h":"10.0.0.1","id.orig_p":40000,"id.resp_h":"2001:db8::1","id.resp_p":443,"proto":"tcp","duration":5.999749,"orig_bytes":7,"resp_bytes":0,"conn_state":"RSTO","history":"ShR","class":"abort","detail":"handshake","causes":["idle-timeout","path-reset"]}\n');
  });
});
