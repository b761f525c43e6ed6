// The safetensors codec: bit-exact round trips (NaN payloads, -0, subnormals, scalars,
// empty tensors), the byte layout of a tiny file checked byte by byte against the
// format, and clear errors for truncated or malformed files.

import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors';

const bitsOf = (a: Float32Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];

/** A file from a header object and raw data bytes, padded like the encoder does. */
function rawFile(header: unknown, data: number[] = [], pad = true): Uint8Array {
  let json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  if (pad) json = Uint8Array.from([...json, ...new Array((8 - (json.length % 8)) % 8).fill(0x20)]);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors round trip', () => {
  it('keeps every bit, shape, name, order and metadata entry', () => {
    const special = new Float32Array(6);
    new Uint32Array(special.buffer).set([0x7fc00001, 0xffbfffff, 0x80000000, 0x00000001, 0x7f800000, 0xff7fffff]);
    const tensors: NamedTensor[] = [
      {
        name: 'stage1.block0.conv1.weight',
        shape: [2, 1, 3, 3],
        data: Float32Array.from({ length: 18 }, (_, i) => Math.fround(Math.sin(i) * 1e3)),
      },
      { name: 'special', shape: [3, 2], data: special },
      { name: 'aRes', shape: [], data: Float32Array.of(0.5) },
      { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
      // A view into a larger buffer must encode only its own window.
      { name: 'view', shape: [2], data: new Float32Array(Float32Array.of(9, 1, 2, 9).buffer, 4, 2) },
    ];
    const metadata = { format: 'pt', scheme: 'risotto', note: 'ünïcode ✓' };
    const bytes = encodeSafetensors(tensors, metadata);
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual(metadata);
    expect(back.tensors.map((t) => [t.name, t.shape])).toEqual(tensors.map((t) => [t.name, t.shape]));
    back.tensors.forEach((t, i) => expect(bitsOf(t.data), t.name).toEqual(bitsOf(tensors[i].data)));
    expect(bytes.length).toBe(8 + headerLen + 4 * (18 + 6 + 1 + 0 + 2));
    // Decoding a file that sits at an odd offset of a larger buffer works too.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(bitsOf(decodeSafetensors(shifted.subarray(3)).tensors[1].data)).toEqual(bitsOf(special));
  });

  it('writes no __metadata__ when none is given, and decodes it as {}', () => {
    const bytes = encodeSafetensors([{ name: 'x', shape: [1], data: Float32Array.of(1) }]);
    expect(new TextDecoder().decode(bytes)).not.toContain('__metadata__');
    expect(decodeSafetensors(bytes).metadata).toEqual({});
  });
});

describe('safetensors byte layout', () => {
  it('matches the format byte by byte on a tiny file', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], data: Float32Array.of(1, -2) }], { k: 'v' });
    const json = '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(json.length).toBe(79);
    // 79 bytes of JSON + 1 space = 80, so the data starts at byte 88, a multiple of 8.
    expect([...bytes.subarray(0, 8)]).toEqual([80, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + 79))).toBe(json);
    expect(bytes[87]).toBe(0x20);
    // 1.0f = 0x3f800000 and -2.0f = 0xc0000000, little-endian.
    expect([...bytes.subarray(88)]).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    expect(bytes.length).toBe(96);
  });

  it('reads a file written by another writer: unpadded header, tensors out of header order', () => {
    const header = { b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
    const file = decodeSafetensors(rawFile(header, [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40], false));
    expect(file.tensors.map((t) => [t.name, t.data[0]])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('safetensors errors', () => {
  const ok = encodeSafetensors([{ name: 'w', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) }]);
  const f32 = (shape: number[], offsets: number[]) => ({ w: { dtype: 'F32', shape, data_offsets: offsets } });
  const cases: [string, Uint8Array, RegExp][] = [
    ['fewer than 8 bytes', ok.subarray(0, 5), /truncated: 5 bytes/],
    ['header cut short', ok.subarray(0, 20), /header claims \d+ bytes, only 12 follow/],
    ['data cut short', ok.subarray(0, ok.length - 1), /truncated: the tensors need 16 data bytes, 15/],
    ['absurd header length', Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 0, 0x7b]), /exceeds the 100000000-byte limit/],
    ['not JSON', rawFile('{"w": '), /not valid JSON/],
    ['not an object', rawFile('[1, 2]'), /must start with '\{'/],
    // '{', then 0xff (never valid in UTF-8), then '}'.
    ['bad UTF-8', Uint8Array.of(3, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0xff, 0x7d), /UTF-8/],
    ['other dtype', rawFile({ w: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /dtype "F16" is not supported/],
    ['offsets that do not match the shape', rawFile(f32([3], [0, 8]), new Array(8).fill(0)), /do not hold 3 float32 values/],
    ['negative dimension', rawFile(f32([-1], [0, 0])), /non-negative integers/],
    ['a gap before a tensor', rawFile(f32([1], [4, 8]), new Array(8).fill(0)), /gap precedes w/],
    ['trailing bytes', rawFile(f32([1], [0, 4]), new Array(8).fill(0)), /4 trailing data bytes/],
    ['non-string metadata', rawFile({ __metadata__: { n: 1 } }), /__metadata__ value of 'n' must be a string/],
    [
      'overlapping tensors',
      rawFile(
        { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } },
        new Array(8).fill(0),
      ),
      /overlaps another tensor/,
    ],
  ];
  for (const [name, bytes, msg] of cases) {
    it(`rejects ${name}`, () => expect(() => decodeSafetensors(bytes)).toThrow(msg));
  }

  it('refuses to encode mismatched shapes, duplicate or reserved names and non-string metadata', () => {
    const t = (name: string, shape: number[], n: number) => ({ name, shape, data: new Float32Array(n) });
    expect(() => encodeSafetensors([t('a', [2, 3], 5)])).toThrow(/needs 6 values, got 5/);
    expect(() => encodeSafetensors([t('a', [1], 1), t('a', [1], 1)])).toThrow(/appears twice/);
    expect(() => encodeSafetensors([t('__metadata__', [1], 1)])).toThrow(/invalid tensor name/);
    expect(() => encodeSafetensors([t('a', [1.5], 1)])).toThrow(/non-negative integers/);
    expect(() => encodeSafetensors([], { n: 1 as unknown as string })).toThrow(/must be a string/);
  });
});
