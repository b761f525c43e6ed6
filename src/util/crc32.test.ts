import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';

describe('crc32', () => {
  it('matches the standard check value and gzip trailers', () => {
    // The check value of CRC-32/ISO-HDLC for the ASCII digits 1..9.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 255);
    const gz = gzipSync(data);
    const trailer = new DataView(gz.buffer, gz.byteOffset + gz.length - 8, 4).getUint32(0, true);
    expect(crc32(data)).toBe(trailer);
    expect(crc32(data.subarray(1000), crc32(data.subarray(0, 1000)))).toBe(trailer);
  });
});
