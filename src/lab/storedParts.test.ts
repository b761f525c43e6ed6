import { describe, expect, it } from 'vitest';
import { joinParts, splitParts } from './storedParts';

describe('splitParts / joinParts', () => {
  it('moves big typed arrays (in Maps, arrays and objects) into chunks and back, bit for bit', () => {
    const big = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e3);
    big[3] = Number.NaN;
    const value = {
      step: 7,
      runs: [
        {
          session: {
            values: new Map([
              [1, big],
              [2, Float32Array.of(1, 2)],
            ]),
            optimizerState: [new Float64Array(300).fill(0.5)],
          },
          state: { key: 'risotto', train: [{ step: 1, loss: 2 }] },
        },
      ],
      labels: new Uint16Array(600).fill(9),
    };
    const { skeleton, chunks } = splitParts(value, { minBytes: 1000, chunkBytes: 700 });
    // 4000 + 2400 + 1200 bytes in 700-byte chunks; the 8-byte array stays inline.
    expect(chunks.map((c) => c.length)).toEqual([700, 700, 700, 700, 700, 500, 700, 700, 700, 300, 700, 500]);
    expect(JSON.stringify([...(skeleton.runs[0].session.values as Map<number, unknown>).values()][1])).toBe('{"0":1,"1":2}');
    const back = joinParts(structuredClone(skeleton), chunks);
    expect(back.step).toBe(7);
    const values = back.runs[0].session.values;
    expect(values.get(1)).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(values.get(1)!.buffer)).toEqual(new Uint8Array(big.buffer));
    expect(values.get(2)).toEqual(Float32Array.of(1, 2));
    expect(back.runs[0].session.optimizerState[0]).toEqual(new Float64Array(300).fill(0.5));
    expect(back.labels).toEqual(new Uint16Array(600).fill(9));
    expect(back.runs[0].state).toEqual(value.runs[0].state);
  });

  it('says which part is missing', () => {
    const { skeleton, chunks } = splitParts({ a: new Float32Array(100) }, { minBytes: 10, chunkBytes: 100 });
    expect(() => joinParts(skeleton, chunks.slice(0, 2))).toThrow(/stored part 2 is missing/);
  });
});
