// Test-only baseline JPEG (JFIF) encoder and decoder, so fixtures are real JPEG files that
// any decoder (Chromium's included) reads, and Node tests can decode them without a
// native library. Sequential DCT, 8-bit, one or three components without subsampling,
// one flat quantisation table and simple (valid, not optimal) Huffman tables. Not used by app code.

import type { DecodedImage } from './resize';

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];
const COS = Array.from({ length: 64 }, (_, i) => Math.cos(((2 * (i >> 3) + 1) * (i & 7) * Math.PI) / 16)); // [x][u]
const C = (u: number) => (u === 0 ? Math.SQRT1_2 : 1);

/** Huffman table as JPEG's DHT lists it: how many codes of each length 1..16, then the symbols. */
interface HuffSpec {
  bits: number[];
  symbols: number[];
}
// DC: the 12 sizes, 4-bit codes each. AC: EOB, ZRL and every (run, size 1..10), 8-bit codes
// each; neither table uses an all-ones code, as the standard requires.
const DC_SPEC: HuffSpec = { bits: [0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], symbols: Array.from({ length: 12 }, (_, i) => i) };
const AC_SYMBOLS = [0x00, 0xf0, ...Array.from({ length: 160 }, (_, i) => ((i / 10) << 4) | ((i % 10) + 1))];
const AC_SPEC: HuffSpec = { bits: [0, 0, 0, 0, 0, 0, 0, AC_SYMBOLS.length, 0, 0, 0, 0, 0, 0, 0, 0], symbols: AC_SYMBOLS };

/** Canonical codes: symbol -> [code, length]. */
function codesOf(spec: HuffSpec): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let n = 0; n < spec.bits[len - 1]; n++) out.set(spec.symbols[k++], [code++, len]);
    code <<= 1;
  }
  return out;
}

const sizeOf = (v: number) => (v === 0 ? 0 : 32 - Math.clz32(Math.abs(v)));

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  end(): number[] {
    while (this.n !== 0) this.write(1, 1);
    return this.bytes;
  }
}

const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];

/** RGBA (alpha ignored) to JPEG bytes; `grey` writes one component (luma). `q` is the flat quantiser. */
export function encodeJpeg(img: DecodedImage, opts: { grey?: boolean; q?: number } = {}): Uint8Array {
  const { width: w, height: h, rgba } = img;
  const q = opts.q ?? 2;
  const comps = opts.grey ? 1 : 3;
  const planes = Array.from({ length: comps }, () => new Float64Array(w * h));
  for (let p = 0; p < w * h; p++) {
    const [r, g, b] = [rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]];
    planes[0][p] = 0.299 * r + 0.587 * g + 0.114 * b;
    if (comps === 3) {
      planes[1][p] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
      planes[2][p] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
  }
  const dc = codesOf(DC_SPEC);
  const ac = codesOf(AC_SPEC);
  const out = new BitWriter();
  const pred = new Array<number>(comps).fill(0);
  const put = (table: Map<number, [number, number]>, sym: number) => out.write(...table.get(sym)!);
  for (let by = 0; by < h; by += 8) {
    for (let bx = 0; bx < w; bx += 8) {
      for (let c = 0; c < comps; c++) {
        const coef = fdct(planes[c], w, h, bx, by).map((v) => Math.round(v / q));
        const diff = coef[0] - pred[c];
        pred[c] = coef[0];
        put(dc, sizeOf(diff));
        out.write(diff < 0 ? diff + (1 << sizeOf(diff)) - 1 : diff, sizeOf(diff));
        let run = 0;
        for (let k = 1; k < 64; k++) {
          const v = coef[ZIGZAG[k]];
          if (v === 0) {
            run++;
            continue;
          }
          for (; run >= 16; run -= 16) put(ac, 0xf0);
          put(ac, (run << 4) | sizeOf(v));
          out.write(v < 0 ? v + (1 << sizeOf(v)) - 1 : v, sizeOf(v));
          run = 0;
        }
        if (run > 0) put(ac, 0x00);
      }
    }
  }
  const dht = (cls: number, spec: HuffSpec) => [cls << 4, ...spec.bits, ...spec.symbols];
  const compIds = Array.from({ length: comps }, (_, c) => c + 1);
  return Uint8Array.from([
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0, ...new Array<number>(64).fill(q)]),
    ...segment(0xc0, [8, h >> 8, h & 255, w >> 8, w & 255, comps, ...compIds.flatMap((id) => [id, 0x11, 0])]),
    ...segment(0xc4, [...dht(0, DC_SPEC), ...dht(1, AC_SPEC)]),
    ...segment(0xda, [comps, ...compIds.flatMap((id) => [id, 0x00]), 0, 63, 0]),
    ...out.end(),
    0xff,
    0xd9,
  ]);
}

/** The 8x8 block at (bx, by), edges repeated, level-shifted and transformed (natural order). */
function fdct(plane: Float64Array, w: number, h: number, bx: number, by: number): number[] {
  const f = new Float64Array(64);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) f[y * 8 + x] = plane[Math.min(h - 1, by + y) * w + Math.min(w - 1, bx + x)] - 128;
  const out = new Array<number>(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) s += f[y * 8 + x] * COS[x * 8 + u] * COS[y * 8 + v];
      out[v * 8 + u] = 0.25 * C(u) * C(v) * s;
    }
  }
  return out;
}

/** Decodes baseline JPEGs without subsampling or restart markers (what encodeJpeg writes). */
export function decodeJpeg(bytes: Uint8Array): DecodedImage {
  const quant: number[][] = [];
  const tables = new Map<number, Map<number, number>>(); // (class << 4 | id) -> (len << 16 | code) -> symbol
  let frame: { w: number; h: number; comps: { id: number; tq: number }[] } | null = null;
  let at = 2;
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG (no SOI marker)');
  for (;;) {
    if (bytes[at] !== 0xff) throw new Error(`expected a marker at byte ${at}`);
    const marker = bytes[at + 1];
    const len = (bytes[at + 2] << 8) | bytes[at + 3];
    const body = bytes.subarray(at + 4, at + 2 + len);
    if (marker === 0xdb) {
      for (let k = 0; k < body.length; k += 65) quant[body[k] & 15] = Array.from(body.subarray(k + 1, k + 65));
    } else if (marker === 0xc4) {
      for (let k = 0; k < body.length;) {
        const bits = Array.from(body.subarray(k + 1, k + 17));
        const n = bits.reduce((a, b) => a + b, 0);
        const codes = codesOf({ bits, symbols: Array.from(body.subarray(k + 17, k + 17 + n)) });
        tables.set(body[k], new Map([...codes].map(([sym, [code, l]]) => [(l << 16) | code, sym])));
        k += 17 + n;
      }
    } else if (marker === 0xc0 || marker === 0xc1) {
      const comps = Array.from({ length: body[5] }, (_, c) => ({ id: body[6 + 3 * c], sampling: body[7 + 3 * c], tq: body[8 + 3 * c] }));
      if (comps.some((c) => c.sampling !== 0x11)) throw new Error('chroma subsampling is not supported by this test decoder');
      frame = { h: (body[1] << 8) | body[2], w: (body[3] << 8) | body[4], comps };
    } else if (marker === 0xda) {
      if (!frame) throw new Error('scan before frame header');
      const sel = Array.from({ length: body[0] }, (_, c) => ({
        dc: tables.get(body[2 + 2 * c] >> 4)!,
        ac: tables.get(0x10 | (body[2 + 2 * c] & 15))!,
      }));
      return decodeScan(bytes, at + 2 + len, frame, sel, quant);
    } else if (marker === 0xd9 || (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)) {
      throw new Error(`unsupported or premature JPEG marker 0xff${marker.toString(16)}`);
    }
    at += 2 + len;
  }
}

function decodeScan(
  bytes: Uint8Array,
  start: number,
  frame: { w: number; h: number; comps: { tq: number }[] },
  sel: { dc: Map<number, number>; ac: Map<number, number> }[],
  quant: number[][],
): DecodedImage {
  let at = start;
  let acc = 0;
  let n = 0;
  const bit = () => {
    if (n === 0) {
      if (at >= bytes.length) throw new Error('JPEG data ends early');
      acc = bytes[at++];
      if (acc === 0xff) {
        if (bytes[at] !== 0) throw new Error('JPEG data ends early (marker inside the scan)');
        at++;
      }
      n = 8;
    }
    return (acc >> --n) & 1;
  };
  const receive = (s: number) => {
    let v = 0;
    for (let i = 0; i < s; i++) v = (v << 1) | bit();
    return s > 0 && v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
  };
  const huff = (t: Map<number, number>) => {
    let code = 0;
    for (let len = 1; len <= 16; len++) {
      code = (code << 1) | bit();
      const sym = t.get((len << 16) | code);
      if (sym !== undefined) return sym;
    }
    throw new Error('bad Huffman code in JPEG data');
  };
  const { w, h, comps } = frame;
  const planes = comps.map(() => new Float64Array(w * h));
  const pred = comps.map(() => 0);
  for (let by = 0; by < h; by += 8) {
    for (let bx = 0; bx < w; bx += 8) {
      comps.forEach((comp, c) => {
        const q = quant[comp.tq];
        const coef = new Float64Array(64);
        pred[c] += receive(huff(sel[c].dc));
        coef[0] = pred[c] * q[0];
        for (let k = 1; k < 64;) {
          const rs = huff(sel[c].ac);
          if ((rs & 15) === 0) {
            if (rs !== 0xf0) break;
            k += 16;
            continue;
          }
          k += rs >> 4;
          coef[ZIGZAG[k]] = receive(rs & 15) * q[k];
          k++;
        }
        idct(coef, planes[c], w, h, bx, by);
      });
    }
  }
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    const y = planes[0][p];
    const [cb, cr] = comps.length === 3 ? [planes[1][p] - 128, planes[2][p] - 128] : [0, 0];
    rgba.set([y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb, 255], 4 * p);
  }
  return { width: w, height: h, rgba };
}

function idct(coef: Float64Array, plane: Float64Array, w: number, h: number, bx: number, by: number): void {
  for (let y = 0; y < 8 && by + y < h; y++) {
    for (let x = 0; x < 8 && bx + x < w; x++) {
      let s = 0;
      for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) s += C(u) * C(v) * coef[v * 8 + u] * COS[x * 8 + u] * COS[y * 8 + v];
      plane[(by + y) * w + bx + x] = 0.25 * s + 128;
    }
  }
}
