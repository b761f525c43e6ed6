// GPU-free: the Node store of kernel choices (a JSON file, one entry per adapter), old or
// broken files, and the RISOTTO_TUNE switch.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTuneCachePath, fileTuneStore, tuningFromEnv } from './nodeTuneStore';

const A = 'conv2dForward n1 3->5 9x7 k3x3 s1 p1 #0123456789abcdef';
const B = 'conv2dBackwardInput n1 3->5 9x7 k3x3 s1 p1 #0123456789abcdef';

function inTempDir(run: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'risotto-tune-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

describe('node tune store', () => {
  it(
    'keeps each adapter apart, merges saves, survives a reload, starts empty on a missing or broken file',
    inTempDir(async (dir) => {
      const path = join(dir, 'sub', 'choices.json');
      const store = fileTuneStore(path);
      expect(await store.load('gpu A')).toEqual({});
      await store.save('gpu A', { [A]: 'direct' });
      await store.save('gpu A', { [B]: 'gemm32' });
      await store.save('gpu B', { [A]: 'gemm16' });
      expect(await fileTuneStore(path).load('gpu A')).toEqual({ [A]: 'direct', [B]: 'gemm32' });
      expect(JSON.parse(readFileSync(path, 'utf8'))['gpu B']).toEqual({ [A]: 'gemm16' });
      writeFileSync(path, '{ not json');
      expect(await store.load('gpu A')).toEqual({});
      writeFileSync(path, '[1, 2]');
      expect(await store.load('gpu A')).toEqual({});
      await store.save('gpu A', { [A]: 'direct' });
      expect(await store.load('gpu A')).toEqual({ [A]: 'direct' });
    }),
  );

  it(
    'ignores a file from before the code hash (and odd values), and drops those entries at the next save',
    inTempDir(async (dir) => {
      const path = join(dir, 'choices.json');
      const old = { 'conv2dForward n1 3->5 9x7 k3x3 s1 p1': 'direct', [B]: 42 };
      writeFileSync(path, JSON.stringify({ 'gpu A': old, 'gpu B': 'not an object', 'gpu C': ['direct'] }));
      const store = fileTuneStore(path);
      for (const gpu of ['gpu A', 'gpu B', 'gpu C', 'toString', '__proto__']) expect(await store.load(gpu)).toEqual({});
      await store.save('gpu A', { [A]: 'gemm16' });
      const saved = JSON.parse(readFileSync(path, 'utf8'));
      expect(saved['gpu A']).toEqual({ [A]: 'gemm16' });
      expect(saved['gpu B']).toBe('not an object'); // another adapter's entry is not ours to clean
    }),
  );

  it('RISOTTO_TUNE decides; unset, tuning is on except under Vitest', () => {
    expect(tuningFromEnv({ RISOTTO_TUNE: '1', VITEST: 'true' })).toBe(true);
    expect(tuningFromEnv({ RISOTTO_TUNE: '0' })).toBe(false);
    expect(tuningFromEnv({ VITEST: 'true' })).toBe(false);
    expect(tuningFromEnv({})).toBe(true);
  });

  it('caches under RISOTTO_TUNE_CACHE, else the XDG cache directory', () => {
    expect(defaultTuneCachePath({ RISOTTO_TUNE_CACHE: '/x/y.json' })).toBe('/x/y.json');
    expect(defaultTuneCachePath({ XDG_CACHE_HOME: '/c' })).toBe('/c/risotto-lab/kernel-choices.json');
  });
});
