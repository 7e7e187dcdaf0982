// @ts-check
/**
 * Where the structure of a capture is: the byte offsets at which units start and end (file header,
 * pcap records, pcapng blocks, options, link/IP/TCP headers) and the fields that hold lengths,
 * types and times. The mutator aims at these. Tolerant: it describes what it can of a damaged
 * input and stops at the first unit it cannot frame.
 */

/**
 * @typedef {{ at: number, size: 1 | 2 | 4, le: boolean, kind: FieldKind, nibble?: 'hi' | 'lo' }} Field
 * @typedef {'length' | 'block-length' | 'option-length' | 'ip-length' | 'header-length' | 'block-type'
 *   | 'linktype' | 'timestamp' | 'tsresol' | 'flags' | 'other'} FieldKind
 * @typedef {{ at: number, length: number }} Unit
 * @typedef {{ format: 'pcap' | 'pcapng' | 'unknown', boundaries: number[], fields: Field[], units: Unit[] }} Structure
 */

const SHB = 0x0a0d0d0a;
const MAX_UNITS = 20000;

/** @param {Uint8Array} b */
export function describe(b) {
  /** @type {Structure} */
  const s = { format: 'unknown', boundaries: [0, b.length], fields: [], units: [] };
  if (b.length < 4) return s;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0, false);
  if (magic === SHB) describePcapng(b, dv, s);
  else describePcap(b, dv, magic, s);
  s.boundaries = [...new Set(s.boundaries.filter((x) => x >= 0 && x <= b.length))].sort((x, y) => x - y);
  return s;
}

const PCAP_MAGICS = new Map([
  [0xa1b2c3d4, [false, 16]], [0xd4c3b2a1, [true, 16]], [0xa1b23c4d, [false, 16]], [0x4d3cb2a1, [true, 16]],
  [0xa1b2cd34, [false, 24]], [0x34cdb2a1, [true, 24]],
]);

/** @param {Uint8Array} b @param {DataView} dv @param {number} magic @param {Structure} s */
function describePcap(b, dv, magic, s) {
  const variant = PCAP_MAGICS.get(magic);
  if (variant === undefined) return;
  const [le, header] = /** @type {[boolean, number]} */ (variant);
  s.format = 'pcap';
  s.boundaries.push(4, 8, 16, 20, 24);
  if (b.length < 24) return;
  s.fields.push({ at: 4, size: 2, le, kind: 'other' }, { at: 16, size: 4, le, kind: 'length' }, { at: 20, size: 4, le, kind: 'linktype' });
  const linkType = dv.getUint32(20, le) & 0x03ffffff;
  let at = 24;
  while (at + header <= b.length && s.units.length < MAX_UNITS) {
    const caplen = dv.getUint32(at + 8, le);
    s.fields.push({ at, size: 4, le, kind: 'timestamp' }, { at: at + 4, size: 4, le, kind: 'timestamp' },
      { at: at + 8, size: 4, le, kind: 'length' }, { at: at + 12, size: 4, le, kind: 'length' });
    s.boundaries.push(at, at + 8, at + header);
    const end = at + header + caplen;
    if (end > b.length) break;
    describePacket(b, at + header, end, linkType, s);
    s.units.push({ at, length: end - at });
    s.boundaries.push(end);
    at = end;
  }
}

/** @param {Uint8Array} b @param {DataView} dv @param {Structure} s */
function describePcapng(b, dv, s) {
  s.format = 'pcapng';
  let le = true;
  /** @type {number[]} */
  let linkTypes = [];
  let at = 0;
  while (at + 12 <= b.length && s.units.length < MAX_UNITS) {
    let type = dv.getUint32(at, le);
    if (dv.getUint32(at, false) === SHB) {
      type = SHB;
      const bom = dv.getUint32(at + 8, false);
      le = bom !== 0x1a2b3c4d;
      linkTypes = [];
    }
    const length = dv.getUint32(at + 4, le);
    s.boundaries.push(at, at + 4, at + 8, at + 12);
    s.fields.push({ at, size: 4, le, kind: 'block-type' }, { at: at + 4, size: 4, le, kind: 'block-length' });
    if (length < 12 || at + length > b.length) break;
    const end = at + length;
    s.fields.push({ at: end - 4, size: 4, le, kind: 'block-length' });
    s.boundaries.push(end - 4, end);
    switch (type) {
      case SHB:
        s.fields.push({ at: at + 12, size: 2, le, kind: 'other' }, { at: at + 16, size: 4, le, kind: 'length' });
        options(dv, at + 24, end - 4, le, s, 0);
        break;
      case 1:
        if (length < 20) break;
        linkTypes.push(dv.getUint16(at + 8, le));
        s.fields.push({ at: at + 8, size: 2, le, kind: 'linktype' }, { at: at + 12, size: 4, le, kind: 'length' });
        options(dv, at + 16, end - 4, le, s, 1);
        break;
      case 2:
      case 6: {
        if (length < 32) break;
        const caplen = dv.getUint32(at + 20, le);
        s.fields.push({ at: at + 8, size: type === 6 ? 4 : 2, le, kind: 'other' },
          { at: at + 12, size: 4, le, kind: 'timestamp' }, { at: at + 16, size: 4, le, kind: 'timestamp' },
          { at: at + 20, size: 4, le, kind: 'length' }, { at: at + 24, size: 4, le, kind: 'length' });
        s.boundaries.push(at + 28);
        if (caplen > length - 32) break;
        const id = type === 6 ? dv.getUint32(at + 8, le) : dv.getUint16(at + 8, le);
        describePacket(b, at + 28, at + 28 + caplen, linkTypes[id] ?? 1, s);
        options(dv, at + 28 + ((caplen + 3) & ~3), end - 4, le, s, type);
        break;
      }
      case 3:
        if (length < 16) break;
        s.fields.push({ at: at + 8, size: 4, le, kind: 'length' });
        describePacket(b, at + 12, end - 4, linkTypes[0] ?? 1, s);
        break;
      case 5:
        if (length < 24) break;
        options(dv, at + 20, end - 4, le, s, 5);
        break;
      default:
        break;
    }
    s.units.push({ at, length });
    at = end;
  }
}

/** pcapng options (§3.5): code, length, padded value. @param {DataView} dv @param {number} from @param {number} end @param {boolean} le @param {Structure} s @param {number} blockType */
function options(dv, from, end, le, s, blockType) {
  let at = from;
  while (at + 4 <= end) {
    const code = dv.getUint16(at, le);
    const len = dv.getUint16(at + 2, le);
    s.boundaries.push(at, at + 4);
    s.fields.push({ at, size: 2, le, kind: 'other' }, { at: at + 2, size: 2, le, kind: 'option-length' });
    if (code === 0 || at + 4 + len > end) return;
    if (blockType === 1 && code === 9 && len >= 1) s.fields.push({ at: at + 4, size: 1, le, kind: 'tsresol' });
    if ((blockType === 1 && code === 14) || (blockType === 5 && code === 3)) {
      if (len >= 8) s.fields.push({ at: at + 4, size: 4, le, kind: 'timestamp' }, { at: at + 8, size: 4, le, kind: 'timestamp' });
    }
    at += 4 + ((len + 3) & ~3);
  }
}

/** Link, IP and TCP headers of one packet's bytes [start, end). @param {Uint8Array} b @param {number} start @param {number} end @param {number} linkType @param {Structure} s */
function describePacket(b, start, end, linkType, s) {
  const u16 = (/** @type {number} */ i) => (i + 1 < end ? ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0) : -1);
  let ip = -1;
  let ethertype = -1;
  switch (linkType) {
    case 1: ip = start + 14; ethertype = u16(start + 12); s.fields.push({ at: start + 12, size: 2, le: false, kind: 'other' }); break;
    case 0: case 108: ip = start + 4; break;
    case 12: case 14: case 101: case 228: case 229: ip = start; break;
    case 113: ip = start + 16; ethertype = u16(start + 14); break;
    case 276: ip = start + 20; ethertype = u16(start); break;
    default: return;
  }
  while (ethertype === 0x8100 || ethertype === 0x88a8 || ethertype === 0x9100) {
    ethertype = u16(ip + 2);
    ip += 4;
  }
  s.boundaries.push(ip);
  if (ip >= end) return;
  const version = (b[ip] ?? 0) >> 4;
  let tcp;
  let protocol;
  if (version === 4 && ip + 20 <= end) {
    s.fields.push({ at: ip, size: 1, le: false, kind: 'header-length', nibble: 'lo' },
      { at: ip + 2, size: 2, le: false, kind: 'ip-length' }, { at: ip + 6, size: 2, le: false, kind: 'flags' },
      { at: ip + 9, size: 1, le: false, kind: 'other' });
    tcp = ip + ((b[ip] ?? 0) & 15) * 4;
    protocol = b[ip + 9];
  } else if (version === 6 && ip + 40 <= end) {
    s.fields.push({ at: ip + 4, size: 2, le: false, kind: 'ip-length' }, { at: ip + 6, size: 1, le: false, kind: 'other' });
    tcp = ip + 40;
    protocol = b[ip + 6];
  } else {
    return;
  }
  s.boundaries.push(tcp);
  if (protocol !== 6 || tcp + 20 > end) return;
  s.fields.push({ at: tcp + 12, size: 1, le: false, kind: 'header-length', nibble: 'hi' },
    { at: tcp + 13, size: 1, le: false, kind: 'flags' }, { at: tcp + 4, size: 4, le: false, kind: 'other' },
    { at: tcp + 8, size: 4, le: false, kind: 'other' }, { at: tcp + 14, size: 2, le: false, kind: 'other' });
  const headerEnd = Math.min(end, tcp + ((b[tcp + 12] ?? 0) >> 4) * 4);
  s.boundaries.push(tcp + 20, headerEnd);
  for (let at = tcp + 20; at + 1 < headerEnd;) {
    const kind = b[at] ?? 0;
    if (kind === 0) break;
    if (kind === 1) { at++; continue; }
    s.fields.push({ at: at + 1, size: 1, le: false, kind: 'option-length' });
    s.boundaries.push(at);
    const len = b[at + 1] ?? 0;
    if (len < 2) break;
    at += len;
  }
}
