// GPU-free: the browser's store of kernel choices (IndexedDB, here fake-indexeddb): per
// adapter, merged saves, stale and malformed records ignored and cleaned, and a database
// that cannot be used counting as empty.

import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { idbTuneStore } from './browserTuneStore';

const key = (kind: string, hash = '0123456789abcdef') => `${kind} n1 3->5 9x7 k3x3 s1 p1 #${hash}`;
const dbName = () => `tune-${Math.random()}`;

describe('IndexedDB tune store', () => {
  it('keeps each adapter apart, merges saves, and survives reopening', async () => {
    const name = dbName();
    const store = idbTuneStore(name);
    expect(await store.load('gpu A')).toEqual({});
    await store.save('gpu A', { [key('conv2dForward')]: 'direct' });
    await store.save('gpu A', { [key('conv2dBackwardInput')]: 'gemm32' });
    await store.save('gpu B', { [key('conv2dForward')]: 'gemm16' });
    const again = idbTuneStore(name);
    expect(await again.load('gpu A')).toEqual({ [key('conv2dForward')]: 'direct', [key('conv2dBackwardInput')]: 'gemm32' });
    expect(await again.load('gpu B')).toEqual({ [key('conv2dForward')]: 'gemm16' });
    // A later choice for the same op replaces the earlier one.
    await again.save('gpu B', { [key('conv2dForward')]: 'direct' });
    expect(await store.load('gpu B')).toEqual({ [key('conv2dForward')]: 'direct' });
  });

  it('ignores records of another form or from changed kernels, and removes them when saving', async () => {
    const name = dbName();
    const store = idbTuneStore(name);
    await store.save('gpu', { [key('conv2dForward', 'aaaaaaaaaaaaaaaa')]: 'gemm16', [key('conv2dBackwardFilter')]: 'direct' });
    // Records written by hand: no code hash, a wrong type, a missing variant.
    const db = await openDB(name);
    await db.put('choices', { adapter: 'gpu', op: 'conv2dForward n1 3->5 9x7 k3x3 s1 p1', variant: 'direct' });
    await db.put('choices', { adapter: 'gpu', op: key('conv2dBackwardInput'), variant: 3 });
    await db.put('choices', { adapter: 'gpu', op: key('matmul') });
    db.close();
    expect(await store.load('gpu')).toEqual({
      [key('conv2dForward', 'aaaaaaaaaaaaaaaa')]: 'gemm16',
      [key('conv2dBackwardFilter')]: 'direct',
    });
    // The op timed again with today's kernels replaces its stale record; the odd ones go.
    await store.save('gpu', { [key('conv2dForward')]: 'direct' });
    const rows = await (await openDB(name)).getAll('choices');
    expect(rows.map((r: { op: string; variant: string }) => [r.op, r.variant]).sort()).toEqual(
      [
        [key('conv2dBackwardFilter'), 'direct'],
        [key('conv2dForward'), 'direct'],
      ].sort(),
    );
  });

  it('a database created empty under its name (a page peeking at it first) gets its store', async () => {
    const name = dbName();
    (await openDB(name, 1)).close();
    const store = idbTuneStore(name);
    expect(await store.load('gpu')).toEqual({});
    await store.save('gpu', { [key('conv2dForward')]: 'direct' });
    expect(await idbTuneStore(name).load('gpu')).toEqual({ [key('conv2dForward')]: 'direct' });
  });

  it('a store it cannot read (made elsewhere, without its index) loads as empty; saving fails (the tuner goes on)', async () => {
    const name = dbName();
    const other = await openDB(name, 5, { upgrade: (d) => void d.createObjectStore('choices') });
    other.close();
    const store = idbTuneStore(name);
    expect(await store.load('gpu')).toEqual({});
    await expect(store.save('gpu', { [key('conv2dForward')]: 'direct' })).rejects.toThrow();
  });
});
