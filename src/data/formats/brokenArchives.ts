// Test-only: the broken-uploads corpus's archives (damaged but of the right length, cut
// off, mislabelled, not decompressible, too big) and uploads that hold no dataset or too
// much. brokenFiles.ts adds the formats' own faults and exports the whole corpus.

import { gzipSync, zipSync } from 'fflate';
import { createTar } from 'nanotar';
import { type BrokenUpload, csvRows, f, flip, goodCsv, labels, MiB, png } from './brokenKit';
import { cifarBytes, idxImages, idxLabels, utf8 } from './testFixtures';

/** A zip whose one stored entry has its method set to `method` (local and central headers). */
function zipWithMethod(method: number): Uint8Array {
  const zip = zipSync({ 'a.csv': goodCsv() }, { level: 0 });
  for (let i = 0; i + 4 < zip.length; i++) {
    const local = zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 3 && zip[i + 3] === 4;
    const central = zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 1 && zip[i + 3] === 2;
    if (local) zip[i + 8] = method;
    if (central) zip[i + 10] = method;
  }
  return zip;
}

/** The zip with its first central-directory CRC changed: the entry's bytes are intact. */
function wrongCentralCrc(zip: Uint8Array): Uint8Array {
  let at = 0;
  while (at + 4 < zip.length && !(zip[at] === 0x50 && zip[at + 1] === 0x4b && zip[at + 2] === 1 && zip[at + 3] === 2)) at++;
  return flip(zip, at + 16);
}

function nested(depth: number): Uint8Array {
  let bytes: Uint8Array = goodCsv();
  for (let i = 0; i < depth; i++) bytes = zipSync({ [`l${i}.zip`]: bytes });
  return bytes;
}

const twoMembers = () => {
  const a = gzipSync(goodCsv(), { level: 0 });
  const b = flip(gzipSync(goodCsv(), { level: 0 }), 60);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

const damaged = /fails its CRC-32 check: the file is damaged \(its length is intact, its bytes are not\); re-download it/;

export const BROKEN_ARCHIVES: BrokenUpload[] = [
  // Archives whose bytes changed but whose lengths did not: one per format.
  {
    fault: 'CSV .gz with a damaged payload',
    files: () => [f('digits.csv.gz', flip(gzipSync(goodCsv(), { level: 0 }), 60))],
    code: 'checksum',
    message: new RegExp(`^digits\\.csv\\.gz: the gzip data ${damaged.source}`),
  },
  {
    fault: 'second gzip member damaged',
    files: () => [f('two.csv.gz', twoMembers())],
    code: 'checksum',
    message: /^two\.csv\.gz: gzip member 2 of 2 fails its CRC-32 check/,
  },
  {
    fault: 'IDX .gz with a damaged payload',
    files: () => [
      f('train-images-idx3-ubyte.gz', flip(gzipSync(idxImages(10, 2, 2), { level: 0 }), 40)),
      f('train-labels-idx1-ubyte', idxLabels(labels(10, 2))),
    ],
    code: 'checksum',
    message: /^train-images-idx3-ubyte\.gz: the gzip data fails its CRC-32 check/,
  },
  {
    fault: 'CIFAR .tar.gz with a damaged payload',
    files: () => [
      f('cifar.tar.gz', flip(gzipSync(createTar([{ name: 'b/data_batch_1.bin', data: cifarBytes(labels(10, 2)) }]), { level: 0 }), 2000)),
    ],
    code: 'checksum',
    message: /^cifar\.tar\.gz: the gzip data fails its CRC-32 check/,
  },
  {
    fault: 'CSV in a zip with a wrong entry CRC',
    files: () => [f('set.zip', flip(zipSync({ 'set/train.csv': goodCsv() }, { level: 0 }), 60))],
    code: 'checksum',
    message: /^set\.zip: zip entry set\/train\.csv fails its CRC-32 check/,
  },
  {
    fault: 'image folder zip with a damaged image',
    files: () => [f('pets.zip', flip(zipSync({ 'cat/1.png': png([1, 2, 3]), 'dog/1.png': png([4, 5, 6]) }, { level: 0 }), 45))],
    code: 'checksum',
    message: /^pets\.zip: zip entry cat\/1\.png fails its CRC-32 check/,
  },
  {
    fault: 'a damaged .gz inside a zip',
    files: () => [f('mirror.zip', zipSync({ 'm/train.csv.gz': flip(gzipSync(goodCsv(), { level: 0 }), 60) }, { level: 0 }))],
    code: 'checksum',
    message: /^mirror\.zip \(m\/train\.csv\.gz\): the gzip data fails its CRC-32 check/,
  },
  {
    fault: 'a deflated zip entry whose stored CRC is wrong',
    files: () => [f('deflated.zip', wrongCentralCrc(zipSync({ 'train.csv': goodCsv() })))],
    code: 'checksum',
    message: /^deflated\.zip: zip entry train\.csv fails its CRC-32 check/,
  },
  {
    fault: 'a .tgz with a damaged payload',
    files: () => [
      f('batches.tgz', flip(gzipSync(createTar([{ name: 'data_batch_1.bin', data: cifarBytes(labels(10, 2)) }]), { level: 0 }), 3000)),
    ],
    code: 'checksum',
    message: /^batches\.tgz: the gzip data fails its CRC-32 check/,
  },
  // Archives that are cut off, mislabelled, not decompressible or too big.
  {
    fault: 'a cut-off .gz',
    files: () => [f('cut.csv.gz', gzipSync(utf8(csvRows(2000, 2))).subarray(0, 300))],
    code: 'truncated',
    message: /^cut\.csv\.gz: the gzip data ends early; .*download it again/,
  },
  {
    fault: 'a cut-off .zip',
    files: () => [f('cut.zip', zipSync({ 'a.csv': goodCsv() }).subarray(0, 60))],
    code: 'truncated',
    message: /^cut\.zip: the zip has no readable end-of-archive record/,
  },
  {
    fault: 'a cut-off .tar',
    files: () => [f('cut.tar', createTar([{ name: 'data_batch_1.bin', data: cifarBytes(labels(4, 2)) }]).subarray(0, 2048))],
    code: 'truncated',
    message: /^cut\.tar: a tar entry runs past the end of the file/,
  },
  {
    fault: 'a .tar.gz whose tar is cut off, named as dropped',
    files: () => [
      f('cifar-10-binary.tar.gz', gzipSync(createTar([{ name: 'data_batch_1.bin', data: cifarBytes(labels(4, 2)) }]).subarray(0, 2048))),
    ],
    code: 'truncated',
    message: /^cifar-10-binary\.tar\.gz: a tar entry runs past the end/,
  },
  {
    fault: 'a .tar.gz whose download stopped halfway',
    files: () => {
      const tgz = gzipSync(createTar([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: cifarBytes(labels(20, 2)) }]));
      return [f('cifar-10-binary.tar.gz', tgz.subarray(0, tgz.length >> 1))];
    },
    code: 'truncated',
    message: /^cifar-10-binary\.tar\.gz: the gzip data ends early; the download is probably cut off/,
  },
  {
    fault: 'a .tgz whose tar is cut off, named as dropped',
    files: () => [f('batches.tgz', gzipSync(createTar([{ name: 'data_batch_1.bin', data: cifarBytes(labels(4, 2)) }]).subarray(0, 2048)))],
    code: 'truncated',
    message: /^batches\.tgz: a tar entry runs past the end/,
  },
  {
    fault: 'a .zip that is not a zip',
    files: () => [f('set.zip', utf8('hello, not a zip'))],
    code: 'bad-magic',
    message: /^set\.zip: is named \.zip but does not start with the zip signature/,
  },
  {
    fault: 'a .gz that is not gzip',
    files: () => [f('set.csv.gz', utf8('1,2,3'))],
    code: 'bad-magic',
    message: /^set\.csv\.gz: is named as gzip but does not start with the gzip magic bytes/,
  },
  {
    fault: 'a .tar without a tar header',
    files: () => [f('set.tar', new Uint8Array(2048).fill(65))],
    code: 'bad-magic',
    message: /^set\.tar: is named \.tar but has no "ustar" tar header/,
  },
  {
    fault: 'gzip with an invalid deflate block',
    files: () => [
      f(
        'bad.csv.gz',
        (() => {
          const g = gzipSync(goodCsv());
          g[10] = 0x07;
          return g;
        })(),
      ),
    ],
    code: 'corrupt',
    message: /^bad\.csv\.gz: the gzip data is damaged \(.*\); download it again/,
  },
  {
    fault: 'a zip entry compressed with an unsupported method',
    files: () => [f('lzma.zip', zipWithMethod(14))],
    code: 'unknown-format',
    message: /^lzma\.zip: entry a\.csv uses zip compression method 14; re-create the zip with ordinary \(deflate\) compression/,
  },
  {
    fault: 'a zip bomb',
    files: () => [f('bomb.zip', zipSync({ 'train.csv': new Uint8Array(50 * MiB) }, { level: 9 }))],
    opts: { limits: { maxExpandedBytes: 10 * MiB } },
    code: 'archive-too-large',
    message: /^bomb\.zip \(train\.csv\): expands past the limit/,
  },
  {
    fault: 'a gzip bomb',
    files: () => [f('bomb.csv.gz', gzipSync(new Uint8Array(40 * MiB), { level: 9 }))],
    code: 'archive-too-large',
    message: /^bomb\.csv\.gz: expands more than 200x .*looks like a zip bomb/,
  },
  {
    fault: 'archives nested too deep',
    files: () => [f('deep.zip', nested(6))],
    code: 'archive-too-large',
    message: /archives are nested more than 4 deep; unpack the outer ones/,
  },
  // Uploads that hold no dataset, or too much.
  { fault: 'no files', files: () => [], code: 'empty', message: /^no files were given; choose the dataset files/ },
  {
    fault: 'a zero-byte file',
    files: () => [f('data_batch_1.bin', new Uint8Array(0))],
    code: 'empty',
    message: /^data_batch_1\.bin: is empty \(0 bytes\); the upload or download did not finish/,
  },
  {
    fault: 'random bytes',
    files: () => [
      f(
        'upload.dat',
        Uint8Array.from({ length: 999 }, (_, i) => (i * 131) & 255),
      ),
    ],
    code: 'unknown-format',
    message: /^upload\.dat: no dataset found; supported are/,
  },
  {
    fault: 'an empty zip',
    files: () => [f('empty.zip', zipSync({}))],
    code: 'unknown-format',
    message: /^empty\.zip: holds no files besides folders and OS clutter .*; supported are/,
  },
  {
    fault: 'a zip of OS clutter only',
    files: () => [f('mac.zip', zipSync({ '__MACOSX/._a.csv': utf8('x'), '.DS_Store': utf8('x') }))],
    code: 'unknown-format',
    message: /^mac\.zip: holds no files besides folders and OS clutter \(__MACOSX, \.DS_Store\)/,
  },
  {
    fault: 'mixed formats',
    files: () => [f('train.csv', goodCsv()), f('data_batch_1.bin', cifarBytes(labels(4, 2)))],
    code: 'unknown-format',
    message: /^train\.csv and 1 more: the upload mixes formats: .*upload one dataset at a time/,
  },
  {
    fault: 'an upload over the byte limit',
    files: () => [f('train.csv', goodCsv())],
    opts: { maxBytes: 100 },
    code: 'too-large',
    message: /^train\.csv: the upload is \d+ bytes, more than the 100 bytes limit/,
  },
];
