// GPU-free: the Node store of kernel choices (a JSON file, one entry per adapter) and the
// RISOTTO_TUNE switch.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTuneCachePath, fileTuneStore, tuningFromEnv } from './nodeTuneStore';

describe('node tune store', () => {
  it('keeps each adapter apart, survives a reload, starts empty on a missing or broken file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'risotto-tune-'));
    try {
      const path = join(dir, 'sub', 'choices.json');
      const store = fileTuneStore(path);
      expect(await store.load('gpu A')).toEqual({});
      await store.save('gpu A', { 'conv2dForward n1': 'direct' });
      await store.save('gpu B', { 'conv2dForward n1': 'gemm16' });
      expect(await fileTuneStore(path).load('gpu A')).toEqual({ 'conv2dForward n1': 'direct' });
      expect(JSON.parse(readFileSync(path, 'utf8'))['gpu B']).toEqual({ 'conv2dForward n1': 'gemm16' });
      writeFileSync(path, '{ not json');
      expect(await store.load('gpu A')).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

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
