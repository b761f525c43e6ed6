import { gzipSync, zipSync } from 'fflate';
import { createTar } from 'nanotar';
import { describe, expect, it } from 'vitest';
import { expandArchives } from './archive';
import { ExpansionBudget, gunzipLimited } from './inflate';
import { errorCode, utf8 } from './testFixtures';

const MiB = 1024 ** 2;
const names = (files: { name: string }[]) => files.map((f) => f.name).sort();

describe('archives', () => {
  it('unzips nested folders, keeps directory entries and skips OS clutter', () => {
    const zip = zipSync({
      'data/': new Uint8Array(0),
      'data/cat/': new Uint8Array(0),
      'data/cat/a.txt': utf8('meow'),
      'data/empty/': new Uint8Array(0),
      '__MACOSX/data/._a.txt': utf8('junk'),
      'data/.DS_Store': utf8('junk'),
    });
    const out = expandArchives([{ name: 'up.zip', bytes: zip }]);
    expect(names(out.files)).toEqual(['data/cat/a.txt']);
    expect(new TextDecoder().decode(out.files[0].bytes)).toBe('meow');
    expect(out.dirs).toContain('data/empty/');
  });

  it('reads .tar, .tar.gz / .tgz and archives inside archives', () => {
    const tar = createTar([
      { name: 'cifar-10-batches-bin/' },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: new Uint8Array([1, 2, 3]) },
      { name: 'cifar-10-batches-bin/readme.html', data: 'hi' },
    ]);
    expect(names(expandArchives([{ name: 'c.tar', bytes: tar }]).files)).toEqual(['cifar-10-batches-bin/data_batch_1.bin', 'cifar-10-batches-bin/readme.html']);
    const tgz = expandArchives([{ name: 'c.tgz', bytes: gzipSync(tar) }]);
    expect(Array.from(tgz.files.find((f) => f.name.endsWith('.bin'))!.bytes)).toEqual([1, 2, 3]);
    expect(tgz.dirs).toContain('cifar-10-batches-bin/');
    // A zip of gzipped IDX files, the way MNIST mirrors ship them.
    const zip = zipSync({ 'mnist/train-labels-idx1-ubyte.gz': gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0])) });
    expect(names(expandArchives([{ name: 'm.zip', bytes: zip }]).files)).toEqual(['mnist/train-labels-idx1-ubyte']);
  });

  it('reads a tar that is a view into a larger buffer (nanotar reads absolute offsets)', () => {
    const tar = createTar([{ name: 'a.bin', data: new Uint8Array([7, 8]) }]);
    const padded = new Uint8Array(tar.length + 100);
    padded.set(tar, 100);
    const out = expandArchives([{ name: 'x.tar', bytes: padded.subarray(100) }]);
    expect(Array.from(out.files[0].bytes)).toEqual([7, 8]);
  });

  it('refuses a zip bomb from its declared sizes, before inflating', async () => {
    const bomb = zipSync({ 'zeros.bin': new Uint8Array(50 * MiB) }, { level: 9 });
    expect(bomb.length).toBeLessThan(MiB);
    const budget = new ExpansionBudget({ maxExpandedBytes: 10 * MiB, maxRatio: 1e9, ratioFloorBytes: MiB });
    expect(await errorCode(() => expandArchives([{ name: 'bomb.zip', bytes: bomb }], budget))).toBe('archive-too-large');
    expect(budget.used).toBe(0);
    // The default limits catch it by its ratio (50 MiB from a few kB) even under the 1 GiB total.
    expect(await errorCode(() => expandArchives([{ name: 'bomb.zip', bytes: bomb }]))).toBe('archive-too-large');
    expect(() => expandArchives([{ name: 'bomb.zip', bytes: bomb }])).toThrow(/zip bomb/);
  });

  it('stops a gzip bomb while streaming, and shares the budget across files', async () => {
    const gz = gzipSync(new Uint8Array(50 * MiB), { level: 9 });
    const small = { maxExpandedBytes: 10 * MiB, maxRatio: 1e9, ratioFloorBytes: MiB };
    expect(await errorCode(() => gunzipLimited('z.gz', gz, new ExpansionBudget(small)))).toBe('archive-too-large');
    expect(await errorCode(() => expandArchives([{ name: 'z.tar.gz', bytes: gz }]))).toBe('archive-too-large');
    const six = gzipSync(new Uint8Array(6 * MiB));
    const budget = new ExpansionBudget(small);
    expect(gunzipLimited('a.gz', six, budget).length).toBe(6 * MiB);
    expect(await errorCode(() => gunzipLimited('b.gz', six, budget))).toBe('archive-too-large');
  });

  it('names broken archives with specific codes', async () => {
    const zip = zipSync({ 'a.csv': utf8('1,2,3,4,5\n'.repeat(100)) });
    expect(await errorCode(() => expandArchives([{ name: 'cut.zip', bytes: zip.subarray(0, zip.length - 30) }]))).toBe('truncated');
    expect(await errorCode(() => expandArchives([{ name: 'fake.zip', bytes: utf8('not a zip at all') }]))).toBe('bad-magic');
    expect(await errorCode(() => expandArchives([{ name: 'fake.gz', bytes: utf8('not gzip') }]))).toBe('bad-magic');
    expect(await errorCode(() => expandArchives([{ name: 'fake.tar', bytes: new Uint8Array(2048).fill(65) }]))).toBe('bad-magic');
    const gz = gzipSync(utf8('x'.repeat(100000)));
    expect(await errorCode(() => expandArchives([{ name: 'cut.gz', bytes: gz.subarray(0, gz.length >> 1) }]))).toBe('truncated');
    const tar = createTar([{ name: 'a.bin', data: new Uint8Array(5000) }]);
    expect(await errorCode(() => expandArchives([{ name: 'cut.tar', bytes: tar.subarray(0, 2048) }]))).toBe('truncated');
    const garbled = gzipSync(utf8('y'.repeat(1000)));
    garbled[12] ^= 0xff;
    expect(['corrupt', 'truncated']).toContain(await errorCode(() => expandArchives([{ name: 'bad.gz', bytes: garbled }])));
  });

  it('refuses archives nested too deep', async () => {
    let bytes: Uint8Array = utf8('deep');
    for (let i = 0; i < 6; i++) bytes = zipSync({ [`l${i}.zip`]: bytes });
    expect(await errorCode(() => expandArchives([{ name: 'deep.zip', bytes }]))).toBe('archive-too-large');
  });
});

describe('gunzipLimited', () => {
  it('reads multi-member gzip and checks every member', async () => {
    const a = gzipSync(utf8('hello '));
    const b = gzipSync(utf8('world'.repeat(10000)));
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    const out = gunzipLimited('two.gz', both, new ExpansionBudget());
    expect(new TextDecoder().decode(out.subarray(0, 11))).toBe('hello world');
    expect(out.length).toBe(6 + 50000);
    const cut = both.subarray(0, both.length - 3);
    expect(await errorCode(() => gunzipLimited('two.gz', cut, new ExpansionBudget()))).toBe('truncated');
  });
});
