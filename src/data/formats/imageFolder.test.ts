import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expandArchives } from './archive';
import { imageMime, parseImageFolder, type ImageFolderOptions } from './imageFolder';
import { errorCode, fakeDecode, fakePng, utf8 } from './testFixtures';

const opts: ImageFolderOptions = { decode: fakeDecode };
const f = (name: string, bytes: Uint8Array) => ({ name, bytes });

describe('image folders', () => {
  it('takes classes from folder names, sorted, and makes grey images one channel', async () => {
    const p = await parseImageFolder(
      [
        f('set/dog/1.png', fakePng(2, 2, [9, 9, 9])),
        f('set/cat/1.png', fakePng(2, 2, [5, 5, 5])),
        f('set/cat/2.png', fakePng(2, 2, [6, 6, 6])),
        f('set/notes.txt', utf8('x')),
      ],
      [],
      opts,
    );
    expect(p.classNames).toEqual(['cat', 'dog']);
    expect([p.channels, p.height, p.width]).toEqual([1, 2, 2]);
    expect(Array.from(p.train!.labels)).toEqual([0, 0, 1]);
    expect(Array.from(p.train!.pixels)).toEqual([5, 5, 5, 5, 6, 6, 6, 6, 9, 9, 9, 9]);
    expect(p.test).toBeNull();
  });

  it('goes RGB when any image has colour (grey images repeat their value), or grey by luma when asked', async () => {
    const files = [f('a/1.png', fakePng(1, 1, [200, 100, 0])), f('b/1.png', fakePng(1, 1, [7, 7, 7]))];
    const rgb = await parseImageFolder(files, [], opts);
    expect(rgb.channels).toBe(3);
    expect(Array.from(rgb.train!.pixels)).toEqual([200, 100, 0, 7, 7, 7]);
    const grey = await parseImageFolder(files, [], { ...opts, channels: 1 });
    expect(Array.from(grey.train!.pixels)).toEqual([(77 * 200 + 150 * 100 + 128) >> 8, 7]);
  });

  it('reads train/ and test/ (or val/) folders as the splits, and resizes to a chosen size', async () => {
    const p = await parseImageFolder(
      [
        f('train/a/1.png', fakePng(4, 4, [1, 2, 3])),
        f('train/b/1.png', fakePng(2, 2, [4, 5, 6])),
        f('val/b/1.png', fakePng(3, 1, [7, 8, 9])),
      ],
      [],
      { ...opts, size: 2, resize: 'nearest' },
    );
    expect([p.channels, p.height, p.width]).toEqual([3, 2, 2]);
    expect(p.train!.count).toBe(2);
    expect(Array.from(p.test!.labels)).toEqual([1]);
    expect(Array.from(p.test!.pixels)).toEqual([7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9]);
  });

  it('finds empty class folders listed by the archive or holding no images', async () => {
    const zip = zipSync({ 'd/cat/1.png': fakePng(1, 1, [1, 1, 1]), 'd/dog/1.png': fakePng(1, 1, [2, 2, 2]), 'd/emu/': new Uint8Array(0) });
    const { files, dirs } = expandArchives([f('d.zip', zip)]);
    expect(await errorCode(() => parseImageFolder(files, dirs, opts))).toBe('empty-class');
    await expect(parseImageFolder(files, dirs, opts)).rejects.toThrow(/class folder d\/emu\/ holds no images/);
    const textOnly = [f('cat/1.png', fakePng(1, 1, [1, 1, 1])), f('dog/1.png', fakePng(1, 1, [1, 1, 1])), f('emu/readme.txt', utf8('x'))];
    expect(await errorCode(() => parseImageFolder(textOnly, [], opts))).toBe('empty-class');
    const emptyTest = [
      f('train/cat/1.png', fakePng(1, 1, [1, 1, 1])),
      f('train/dog/1.png', fakePng(1, 1, [1, 1, 1])),
      f('test/cat/1.png', fakePng(1, 1, [1, 1, 1])),
    ];
    expect(await errorCode(() => parseImageFolder(emptyTest, ['test/dog/'], opts))).toBe('empty-class');
  });

  it('rejects bad layouts and images with specific codes', async () => {
    const ok = (name: string) => f(name, fakePng(2, 2, [1, 1, 1]));
    expect(await errorCode(() => parseImageFolder([ok('a/1.png'), f('b/1.png', fakePng(3, 3, [1, 1, 1]))], [], opts))).toBe(
      'size-mismatch',
    );
    expect(await errorCode(() => parseImageFolder([ok('a/1.png'), f('b/1.png', fakePng(3, 3, [1, 1, 1]))], [], { ...opts, size: 3 }))).toBe(
      'no error',
    );
    expect(await errorCode(() => parseImageFolder([ok('a/1.png'), ok('2.png')], [], opts))).toBe('unknown-format');
    expect(await errorCode(() => parseImageFolder([ok('a/1.png'), ok('a/2.png')], [], opts))).toBe('too-few-classes');
    expect(await errorCode(() => parseImageFolder([ok('train/a/1.png'), ok('b/1.png')], [], opts))).toBe('unknown-format');
    expect(await errorCode(() => parseImageFolder([ok('a/1.png'), ok('train/1.png')], [], opts))).toBe('unknown-format');
    expect(await errorCode(() => parseImageFolder([ok('a/1.png'), f('b/1.png', utf8('not a png'))], [], opts))).toBe('bad-magic');
    const cut = fakePng(2, 2, [1, 1, 1]).subarray(0, 10);
    expect(await errorCode(() => parseImageFolder([ok('a/1.png'), f('b/1.png', cut)], [], opts))).toBe('bad-image');
    expect(await errorCode(() => parseImageFolder([f('a/x.txt', utf8('x'))], [], opts))).toBe('empty');
  });

  it('recognises images by their magic numbers', () => {
    expect(imageMime('x', fakePng(1, 1, [0, 0, 0]))).toBe('image/png');
    expect(imageMime('x', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageMime('x.png', utf8('GIF89a'))).toBe('image/gif');
    expect(imageMime('x', utf8('RIFF\0\0\0\0WEBP'))).toBe('image/webp');
    expect(imageMime('x.png', utf8('hello'))).toBeNull();
  });
});
