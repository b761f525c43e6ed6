// Test-only: a corpus of broken uploads, one fault each, with the error code and the
// words each must get. The lab's upload test runs every one through the real upload path
// and checks that the chosen and stored datasets stay as they were. Not used by app code.

import { gzipSync, zipSync } from 'fflate';
import { createTar } from 'nanotar';
import type { InputFile } from './common';
import type { DatasetFormatErrorCode } from './errors';
import type { ExpansionLimits } from './inflate';
import { cifarBytes, fakePng, idxImages, idxLabels, utf8 } from './testFixtures';
import { editTree, fakeJpeg, fakeTinyImageNet, zipFiles } from './tinyImageNetFixture';

export interface BrokenUpload {
  fault: string;
  files: () => InputFile[];
  opts?: {
    maxBytes?: number;
    limits?: Partial<ExpansionLimits>;
    csv?: { channels?: 1 | 3; height?: number; width?: number };
    images?: { size?: number };
  };
  code: DatasetFormatErrorCode;
  message: RegExp;
}

const MiB = 1024 ** 2;
const f = (name: string, bytes: Uint8Array): InputFile => ({ name, bytes });
const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const out = bytes.slice();
  out[at] ^= 1;
  return out;
};
const csvRows = (n: number, classes: number, pixels = 4) =>
  Array.from({ length: n }, (_, i) => [i % classes, ...Array.from({ length: pixels }, (_, k) => (i * (k + 1)) & 255)].join(',')).join('\n');
const goodCsv = () => utf8(csvRows(40, 2));
const labels = (n: number, classes: number) => Array.from({ length: n }, (_, i) => i % classes);
const idxPair = (prefix: string, images: Uint8Array, lab: Uint8Array) => [
  f(`${prefix}-images-idx3-ubyte`, images),
  f(`${prefix}-labels-idx1-ubyte`, lab),
];
const png = (rgb: [number, number, number], side = 2) => fakePng(side, side, rgb);
/** A small tiny-imagenet-200.zip with one edit (paths below its top folder; null removes). */
const tiny = (edits: Parameters<typeof editTree>[1]) => () => [
  f('tiny-imagenet-200.zip', zipFiles(editTree(fakeTinyImageNet({ trainPerClass: 2, valPerClass: 1, side: 8 }), edits))),
];

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

export const BROKEN_UPLOADS: BrokenUpload[] = [
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
  // CIFAR batches.
  {
    fault: 'a truncated CIFAR record',
    files: () => [f('data_batch_1.bin', cifarBytes(labels(3, 2)).subarray(0, 5000))],
    code: 'truncated',
    message: /^data_batch_1\.bin: 5000 bytes is not a whole number of 3073-byte CIFAR-10 records/,
  },
  {
    fault: 'a CIFAR-10 label out of range',
    files: () => [f('data_batch_1.bin', cifarBytes([1, 12]))],
    code: 'label-range',
    message: /^data_batch_1\.bin: item 1 has label 12, but there are only 10 classes/,
  },
  {
    fault: 'a CIFAR-100 coarse label out of range',
    files: () => [f('train.bin', cifarBytes([1, 2], 'cifar100', 25))],
    code: 'label-range',
    message: /^train\.bin: record 0 has coarse label 25, but CIFAR-100 has 20 coarse classes/,
  },
  {
    fault: 'CIFAR-10 and CIFAR-100 mixed',
    files: () => [f('data_batch_1.bin', cifarBytes(labels(4, 2))), f('test.bin', cifarBytes([1, 2], 'cifar100'))],
    code: 'unknown-format',
    message: /mixes CIFAR-10 and CIFAR-100 files/,
  },
  {
    fault: 'a CIFAR batch whose records all carry label 0',
    files: () => [f('data_batch_1.bin', cifarBytes(new Array(12).fill(0)))],
    code: 'too-few-classes',
    message: /^data_batch_1\.bin: all 12 examples carry label airplane \(class 0 of 10\)/,
  },
  {
    fault: 'a CIFAR-100 batch of one fine class',
    files: () => [f('train.bin', cifarBytes(new Array(8).fill(42), 'cifar100', 3))],
    code: 'too-few-classes',
    message: /^train\.bin: all 8 examples carry label .* \(class 42 of 100\); a classifier needs at least two classes/,
  },
  {
    fault: 'a one-label CIFAR batch inside a .tar.gz',
    files: () => [
      f('cifar-10-binary.tar.gz', gzipSync(createTar([{ name: 'b/data_batch_1.bin', data: cifarBytes(new Array(6).fill(3)) }]))),
    ],
    code: 'too-few-classes',
    message: /^cifar-10-binary\.tar\.gz: all 6 examples carry label cat \(class 3 of 10\)/,
  },
  // IDX files.
  {
    fault: 'random bytes named as IDX',
    files: () => [
      f(
        'train-images-idx3-ubyte',
        Uint8Array.from({ length: 99 }, (_, i) => 200 - i),
      ),
    ],
    code: 'bad-magic',
    message: /does not start with an IDX magic number/,
  },
  {
    fault: 'IDX with 2 dimensions',
    files: () => [f('train-images-idx3-ubyte', Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 5]))],
    code: 'bad-magic',
    message: /has 2 dimensions; IDX labels have 1/,
  },
  {
    fault: 'IDX of floats',
    files: () => [f('train-images-idx3-ubyte', Uint8Array.from([0, 0, 0x0d, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4]))],
    code: 'unknown-format',
    message: /holds IDX elements of type 0x0d; only unsigned bytes/,
  },
  {
    fault: 'IDX cut inside its header',
    files: () => [f('train-images-idx3-ubyte', Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 5]))],
    code: 'truncated',
    message: /ends inside its 16-byte header/,
  },
  {
    fault: 'IDX images without labels',
    files: () => [f('train-images-idx3-ubyte', idxImages(4, 2, 2))],
    code: 'missing-file',
    message: /has no matching labels \(idx1-ubyte\) file/,
  },
  {
    fault: 'IDX image and label counts differ',
    files: () => idxPair('train', idxImages(5, 2, 2), idxLabels([1, 0, 1])),
    code: 'count-mismatch',
    message: /holds 5 images but train-labels-idx1-ubyte holds 3 labels/,
  },
  {
    fault: 'IDX header promising more data than follows',
    files: () => idxPair('train', idxImages(5, 2, 2, [5, 3, 2]), idxLabels(labels(5, 2))),
    code: 'truncated',
    message: /the header says 5 x 3 x 2 = 30 bytes of data but only 20 follow/,
  },
  {
    fault: 'IDX header promising less data than follows',
    files: () => idxPair('train', idxImages(5, 2, 2, [4, 2, 2]), idxLabels(labels(4, 2))),
    code: 'size-mismatch',
    message: /the header says 4 x 2 x 2 = 16 bytes of data but 20 follow/,
  },
  {
    fault: 'IDX train and test of different sizes',
    files: () => [
      ...idxPair('train', idxImages(4, 2, 2), idxLabels(labels(4, 2))),
      ...idxPair('t10k', idxImages(4, 3, 3), idxLabels(labels(4, 2))),
    ],
    code: 'size-mismatch',
    message: /has (2x2|3x3) images but other files have (3x3|2x2); all files must come from one dataset/,
  },
  {
    fault: 'the same IDX images twice',
    files: () => [
      f('train-images-idx3-ubyte', idxImages(4, 2, 2)),
      f('train-images-idx3-ubyte.gz', gzipSync(idxImages(4, 2, 2))),
      f('train-labels-idx1-ubyte', idxLabels(labels(4, 2))),
    ],
    code: 'unknown-format',
    message: /look like the images of one split; upload each file once/,
  },
  {
    fault: 'Fashion-MNIST labels past 9',
    files: () => idxPair('fashion-train', idxImages(4, 2, 2), idxLabels([0, 1, 12, 3])),
    code: 'label-range',
    message: /item 2 has label 12, but there are only 10 classes/,
  },
  {
    fault: 'IDX labels all one digit',
    files: () => idxPair('train', idxImages(6, 2, 2), idxLabels(new Array(6).fill(7))),
    code: 'too-few-classes',
    message: /all 6 examples carry label 7 \(class 7 of 8\)/,
  },
  // Pixel CSV.
  {
    fault: 'CSV rows of different lengths',
    files: () => [f('train.csv', utf8('1,0,0,0,0\n0,1,1,1\n'))],
    code: 'size-mismatch',
    message: /^train\.csv: line 2 has 3 pixel values but the rows before it have 4/,
  },
  {
    fault: 'a CSV pixel of 256',
    files: () => [f('train.csv', utf8('1,0,0,0,0\n0,1,256,1,1\n'))],
    code: 'bad-value',
    message: /^train\.csv: line 2, column 3: pixel value "256" is not a whole number from 0 to 255/,
  },
  {
    fault: 'a CSV pixel that is text',
    files: () => [f('train.csv', utf8('1,0,0,0,0\n0,1,x,1,1\n'))],
    code: 'bad-value',
    message: /pixel value "x" is not a whole number/,
  },
  {
    fault: 'a CSV row without a label',
    files: () => [f('train.csv', utf8('1,0,0,0,0\n,1,1,1,1\n'))],
    code: 'bad-value',
    message: /^train\.csv: line 2 has an empty label/,
  },
  {
    fault: 'a negative CSV label',
    files: () => [f('train.csv', utf8('1,0,0,0,0\n-1,1,1,1,1\n'))],
    code: 'label-range',
    message: /line 2: label -1 is not a class index/,
  },
  {
    fault: 'a CSV with only a header',
    files: () => [f('train.csv', utf8('label,p1,p2,p3,p4\n'))],
    code: 'empty',
    message: /^train\.csv: has no data rows/,
  },
  {
    fault: 'a CSV row with only a label',
    files: () => [f('train.csv', utf8('1\n0\n'))],
    code: 'size-mismatch',
    message: /line 1 has only a label and no pixel values/,
  },
  {
    fault: 'CSV rows that are not square images',
    files: () => [f('train.csv', utf8(csvRows(20, 2, 6)))],
    code: 'size-mismatch',
    message: /rows have 6 pixel values, which is neither s\*s .*the CSV shape in the upload options/,
  },
  {
    fault: 'a CSV shape that does not fit the rows',
    files: () => [f('train.csv', goodCsv())],
    opts: { csv: { height: 3, width: 3 } },
    code: 'size-mismatch',
    message: /rows have 4 pixel values, which is not 1 or 3 channels of 3x3/,
  },
  {
    fault: 'CSV train and test files of different widths',
    files: () => [f('train.csv', utf8(csvRows(10, 2))), f('test.csv', utf8(csvRows(10, 2, 9)))],
    code: 'size-mismatch',
    message: /rows have 9 pixel values but train\.csv has 4/,
  },
  {
    fault: 'CSV labels all "3"',
    files: () => [f('digits.csv', utf8(Array.from({ length: 20 }, (_, i) => `3,${i},0,0,0`).join('\n')))],
    code: 'too-few-classes',
    message: /^digits\.csv: all 20 examples carry label 3 \(class 3 of 4\)/,
  },
  {
    fault: 'CSV class names all the same',
    files: () => [f('pets.csv', utf8(Array.from({ length: 12 }, (_, i) => `cat,${i},1,2,3`).join('\n')))],
    code: 'too-few-classes',
    message: /^pets\.csv: all 12 examples carry label cat \(class 0 of 1\)/,
  },
  {
    fault: 'CSV train and test files of one label between them',
    files: () => [f('train.csv', utf8(csvRows(10, 1))), f('test.csv', utf8(csvRows(5, 1)))],
    code: 'too-few-classes',
    message: /^train\.csv and 1 more: all 15 examples carry label 0 \(class 0 of 1\)/,
  },
  {
    fault: 'too few images to hold out a test set',
    files: () => [f('train.csv', utf8('1,0,0,0,0\n2,0,0,0,0'))],
    code: 'empty',
    message: /^train\.csv: only 2 image\(s\), too few to hold out a test set/,
  },
  // Folders of images.
  {
    fault: 'an empty class folder',
    files: () => [f('set.zip', zipSync({ 'cat/1.png': png([1, 1, 1]), 'dog/1.png': png([2, 2, 2]), 'owl/': new Uint8Array(0) }))],
    code: 'empty-class',
    message: /class folder owl\/ holds no images/,
  },
  {
    fault: 'a class folder holding no images',
    files: () => [f('cat/1.png', png([1, 1, 1])), f('dog/1.png', png([2, 2, 2])), f('owl/notes.txt', utf8('hoot'))],
    code: 'empty-class',
    message: /class folder owl\/ holds no images/,
  },
  {
    fault: 'one class folder only',
    files: () => [f('pets/cat/1.png', png([1, 1, 1])), f('pets/cat/2.png', png([2, 2, 2]))],
    code: 'too-few-classes',
    message: /^pets\/: found only one class folder \(cat\/\); a classifier needs at least two/,
  },
  {
    fault: 'a zip of one class folder',
    files: () => [f('pets.zip', zipSync({ 'pets/cat/1.png': png([1, 1, 1]), 'pets/cat/2.png': png([2, 2, 2]) }))],
    code: 'too-few-classes',
    message: /^pets\.zip: found only one class folder \(cat\/\); a classifier needs at least two/,
  },
  {
    fault: 'images of different sizes',
    files: () => [f('a/1.png', fakePng(2, 2, [1, 1, 1])), f('b/1.png', fakePng(3, 2, [1, 1, 1]))],
    code: 'size-mismatch',
    message: /choose an image size/,
  },
  {
    fault: 'an image the decoder refuses',
    files: () => [f('a/1.png', png([1, 1, 1])), f('b/1.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]))],
    code: 'bad-image',
    message: /^b\/1\.png: could not be decoded as image\/png/,
  },
  {
    fault: 'a .png that is not an image',
    files: () => [f('a/1.png', png([1, 1, 1])), f('b/1.png', utf8('not an image at all'))],
    code: 'bad-magic',
    message: /^b\/1\.png: is named as an image but its bytes are not PNG/,
  },
  {
    fault: 'an image outside any class folder',
    files: () => [f('a/1.png', png([1, 1, 1])), f('2.png', png([2, 2, 2]))],
    code: 'unknown-format',
    message: /^2\.png: is not inside a class folder/,
  },
  // Tiny ImageNet trees (real JPEGs: the upload test decodes them).
  {
    fault: 'Tiny ImageNet without val_annotations.txt',
    files: tiny({ 'val/val_annotations.txt': null }),
    code: 'missing-file',
    message: /tiny-imagenet-200\/val\/ has no val_annotations\.txt/,
  },
  {
    fault: 'Tiny ImageNet class without images',
    files: tiny({ 'train/n01443537/images/n01443537_0.JPEG': null, 'train/n01443537/images/n01443537_1.JPEG': null }),
    code: 'empty-class',
    message: /wnids\.txt lists n01443537 but train\/n01443537\/images\/ holds no images/,
  },
  {
    fault: 'Tiny ImageNet val annotation of an unknown class',
    files: tiny({ 'val/val_annotations.txt': 'val_0.JPEG\tn09999999\n' }),
    code: 'unknown-class',
    message: /line 1 gives val_0\.JPEG the class n09999999, which wnids\.txt does not list/,
  },
  {
    fault: 'Tiny ImageNet val annotation of a missing image',
    files: tiny({ 'val/images/val_1.JPEG': null }),
    code: 'missing-file',
    message: /line 2 names val_1\.JPEG, which is not in val\/images\//,
  },
  {
    fault: 'Tiny ImageNet JPEG that does not decode',
    files: tiny({ 'val/images/val_2.JPEG': fakeJpeg(8, [9, 9, 9], 0).subarray(0, 250) }),
    code: 'bad-image',
    message: /^tiny-imagenet-200\.zip \(tiny-imagenet-200\/val\/images\/val_2\.JPEG\): could not be decoded as image\/jpeg/,
  },
];
