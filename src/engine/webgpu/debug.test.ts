// DEBUG levels: level 1 lists every dispatch of a compiled program under the graph op and
// tensor that recorded it, with the memory plan; level 2 adds each pipeline's WGSL once;
// level 0 writes nothing.

import { afterEach, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph';
import { compileGraph } from './compile';
import { setDebugLevel } from './debug';
import { gpuTestContext, upload } from './testing';

function tinyGraph() {
  const g = new GraphBuilder();
  const x = g.input('x', [2, 3]);
  const w = g.param('w', [4, 3]);
  const b = g.param('b', [4]);
  const h = g.scoped('head', () => g.op('linear', [x, w, b], {}, 'fc'));
  const y = g.op('relu', [h], {}, 'act');
  return { graph: g.build(), x, w, b, y };
}

describe('compiler DEBUG levels', () => {
  afterEach(() => setDebugLevel(0));

  for (const level of [0, 1, 2]) {
    it(`level ${level}`, async () => {
      const ctx = await gpuTestContext();
      const { graph, x, w, b, y } = tinyGraph();
      const out: string[] = [];
      setDebugLevel(level, (t) => out.push(t));
      const bufs = [x, w, b].map((id) => upload(ctx, new Float64Array(graph.tensors[id].shape.reduce((p, q) => p * q, 1))));
      const yBuf = ctx.pool.acquire(2 * 4 * 4);
      const bound = new Map([
        [x, bufs[0]],
        [w, bufs[1]],
        [b, bufs[2]],
        [y, yBuf],
      ]);
      const seed = upload(ctx, new Float64Array(8).fill(1));
      const dw = ctx.pool.acquire(12 * 4);
      const program = compileGraph(ctx, {
        graph,
        mode: 'train',
        bound,
        backward: { seeds: new Map([[y, seed]]), grads: new Map([[w, dw]]) },
        label: 'tiny',
        // The op table's own kernels (fusion renames them; see fusionStep.test.ts).
        fusion: false,
      });
      program.destroy();
      [...bufs, yBuf, seed, dw].forEach((buf) => ctx.pool.release(buf));
      if (level === 0) return expect(out).toEqual([]);
      expect(out).toHaveLength(1);
      const text = out[0];
      expect(text).toMatch(/program "tiny": \d+ items \(\d+ dispatches\)/);
      expect(text).toMatch(/linear -> head\.fc: matmul\w* \[/);
      expect(text).toMatch(/relu -> act: reluForward \[1x1\] x, out/);
      expect(text).toMatch(/relu backward -> d\(head\.fc\): reluBackward/);
      expect(text).toMatch(/linear backward -> d\(w\)/);
      expect(text.includes('--- WGSL of reluForward')).toBe(level === 2);
      if (level === 2) expect(text).toContain('fn reluForward(i: u32) -> f32');
    });
  }

  it('rejects a level outside 0..2', () => {
    expect(() => setDebugLevel(3)).toThrow(/0, 1 or 2/);
  });
});
