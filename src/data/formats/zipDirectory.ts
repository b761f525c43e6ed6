// The stored CRC-32 of each zip entry, read from the central directory in the order
// fflate's unzipSync visits the entries (its filter sees names and sizes, not CRCs).
// Zip64 archives included. Reads only; inflating is archive.ts's.

const b2 = (d: Uint8Array, at: number) => d[at] | (d[at + 1] << 8);
const b4 = (d: Uint8Array, at: number) => (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24)) >>> 0;

/** One CRC per central-directory entry, in directory order; throws 'invalid zip data' like fflate. */
export function zipEntryCrcs(d: Uint8Array): number[] {
  let e = d.length - 22;
  for (; e >= 0 && b4(d, e) !== 0x06054b50; --e) {
    if (d.length - e > 65558) e = 0;
  }
  if (e < 0) throw new Error('invalid zip data');
  let count = b2(d, e + 8);
  let at = b4(d, e + 16);
  if (e >= 20 && b4(d, e - 20) === 0x07064b50) {
    const z = b4(d, e - 12);
    if (b4(d, z) === 0x06064b50) {
      count = b4(d, z + 32);
      at = b4(d, z + 48);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > d.length || b4(d, at) !== 0x02014b50) throw new Error('invalid zip data');
    out.push(b4(d, at + 16));
    at += 46 + b2(d, at + 28) + b2(d, at + 30) + b2(d, at + 32);
  }
  return out;
}
