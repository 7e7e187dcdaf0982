import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TimeFormatter, formatAbsolute } from '../../src/render/time.js';
import { analyzeInProcess } from '../golden/run-analyze.js';
import { LINKTYPE, ipPacket, writePcapng } from './writer.js';

describe('--time absolute (docs/contract.md, "Common options")', () => {
  it('a date in UTC for the years 0000 to 9999', () => {
    expect(formatAbsolute({ sec: 1764021529, nsec: 123456789 }, 6)).toBe('2025-11-24 21:58:49.123456');
    expect(formatAbsolute({ sec: 1764021529, nsec: 123456789 }, 9)).toBe('2025-11-24 21:58:49.123456789');
    expect(formatAbsolute({ sec: -1, nsec: 500000000 }, 6)).toBe('1969-12-31 23:59:59.500000');
    expect(formatAbsolute({ sec: 253402300799, nsec: 0 }, 6)).toBe('9999-12-31 23:59:59.000000');
    expect(formatAbsolute({ sec: -62167219200, nsec: 0 }, 6)).toBe('0000-01-01 00:00:00.000000');
  });

  // Hostile input (docs/testing.md): a pcapng timestamp or if_tsoffset far out printed NaN-NaN-NaN.
  it('outside them, the seconds since the epoch, never NaN', () => {
    expect(formatAbsolute({ sec: 18446744073709, nsec: 551615000 }, 6)).toBe('18446744073709.551615');
    expect(formatAbsolute({ sec: 253402300800, nsec: 1 }, 9)).toBe('253402300800.000000001');
    expect(formatAbsolute({ sec: -62167219201, nsec: 0 }, 6)).toBe('-62167219201.000000');
    expect(formatAbsolute({ sec: -9223372036854, nsec: 250000000 }, 6)).toBe('-9223372036853.750000');
    const rows = new TimeFormatter('absolute', { sec: 0, nsec: 0 }, 6);
    for (const sec of [2 ** 44, -(2 ** 44), Number.MAX_SAFE_INTEGER]) expect(rows.format({ sec, nsec: 0 })).not.toMatch(/NaN/);
  });

  it('a capture timestamped 18,000,000,000,000 s after the epoch: its rows show those seconds', async () => {
    const syn = ipPacket({ src: Uint8Array.of(10, 0, 0, 1), dst: Uint8Array.of(10, 0, 0, 2), srcPort: 40000, dstPort: 80,
      seq: 1, ack: 0, flags: 0x002, window: 1024, urgent: 0, options: [], payload: new Uint8Array(0) });
    const file = join(mkdtempSync(join(tmpdir(), 'teardown-time-')), 'far.pcapng');
    writeFileSync(file, writePcapng({ littleEndian: true, tsresol: 6, linkType: LINKTYPE.RAW }, [{ tsSec: 18e12, tsNsec: 250000000, data: syn }]));
    const r = await analyzeInProcess(file, { time: 'absolute' });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/NaN/);
    expect(r.stdout).toMatch(/^1 +18000000000000\.250000 +10\.0\.0\.1 /m);
  });
});
