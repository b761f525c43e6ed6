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
    expect(names(expandArchives([{ name: 'c.tar', bytes: tar }]).files)).toEqual([
      'cifar-10-batches-bin/data_batch_1.bin',
      'cifar-10-batches-bin/readme.html',
    ]);
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

describe('CRC-32 checks (damaged bytes, intact lengths)', () => {
  // Stored (level 0) data keeps the deflate stream valid when a payload byte flips, so
  // only the checksum can tell: what `gunzip -t` reports as "crc error".
  const flipped = (bytes: Uint8Array, at: number) => {
    const out = bytes.slice();
    out[at] ^= 0x01;
    return out;
  };
  const payload = utf8('0,1,2,3,4\n'.repeat(300));

  it('refuses a gzip file whose payload is damaged but whose length is right', async () => {
    const gz = gzipSync(payload, { level: 0 });
    const bad = flipped(gz, 100);
    expect(bad.length).toBe(gz.length);
    expect(await errorCode(() => gunzipLimited('digits.csv.gz', bad, new ExpansionBudget()))).toBe('checksum');
    expect(() => gunzipLimited('digits.csv.gz', bad, new ExpansionBudget())).toThrow(
      /^digits\.csv\.gz: the gzip data fails its CRC-32 check: the file is damaged .*re-download it$/,
    );
    expect(gunzipLimited('digits.csv.gz', gz, new ExpansionBudget())).toEqual(payload);
  });

  it('checks every member of a multi-member gzip', async () => {
    const a = gzipSync(payload, { level: 0 });
    const b = gzipSync(payload, { level: 0 });
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(flipped(b, 60), a.length);
    expect(() => gunzipLimited('two.gz', both, new ExpansionBudget())).toThrow(/two\.gz: gzip member 2 of 2 fails its CRC-32 check/);
  });

  it('refuses a zip entry with a wrong CRC, naming the entry', async () => {
    const zip = zipSync({ 'set/train.csv': payload }, { level: 0 });
    const at = zip.indexOf(0x30, 60); // a '0' inside the stored entry data
    const bad = flipped(zip, at);
    expect(await errorCode(() => expandArchives([{ name: 'set.zip', bytes: bad }]))).toBe('checksum');
    expect(() => expandArchives([{ name: 'set.zip', bytes: bad }])).toThrow(
      /^set\.zip: zip entry set\/train\.csv fails its CRC-32 check: .*re-download it$/,
    );
    // A deflated entry whose stored CRC is wrong (the payload intact) fails the same way.
    const deflated = zipSync({ 'a.csv': payload });
    let central = deflated.length - 4;
    while (
      central > 0 &&
      !(deflated[central] === 0x50 && deflated[central + 1] === 0x4b && deflated[central + 2] === 1 && deflated[central + 3] === 2)
    )
      central--;
    expect(central).toBeGreaterThan(0);
    const wrongCrc = flipped(deflated, central + 16);
    expect(await errorCode(() => expandArchives([{ name: 'a.zip', bytes: wrongCrc }]))).toBe('checksum');
    expect(names(expandArchives([{ name: 'a.zip', bytes: deflated }]).files)).toEqual(['a.csv']);
  });

  it('refuses a damaged gzip inside a zip, naming the dropped zip and the entry', async () => {
    const inner = flipped(gzipSync(payload, { level: 0 }), 100);
    const zip = zipSync({ 'mnist/train.csv.gz': inner }, { level: 0 });
    expect(() => expandArchives([{ name: 'upload.zip', bytes: zip }])).toThrow(
      /^upload\.zip \(mnist\/train\.csv\.gz\): the gzip data fails its CRC-32 check/,
    );
  });

  it('names a cut-off .tar.gz by the name the user dropped, not the inner .tar', async () => {
    const tar = createTar([{ name: 'a.bin', data: new Uint8Array(5000) }]);
    const cut = gzipSync(tar.subarray(0, 2048));
    expect(() => expandArchives([{ name: 'cifar.tar.gz', bytes: cut }])).toThrow(/^cifar\.tar\.gz: a tar entry runs past the end/);
    expect(() => expandArchives([{ name: 'cifar.tgz', bytes: cut }])).toThrow(/^cifar\.tgz: a tar entry runs past the end/);
  });
});
