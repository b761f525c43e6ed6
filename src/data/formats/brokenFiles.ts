// Test-only: a corpus of broken uploads, one fault each, with the error code and the
// words each must get: the archive faults of brokenArchives.ts and each format's own. The
// lab's upload test runs every one through the real upload path and checks that the
// chosen and stored datasets stay as they were. Not used by app code.

import { gzipSync, zipSync } from 'fflate';
import { createTar } from 'nanotar';
import { BROKEN_ARCHIVES } from './brokenArchives';
import { type BrokenUpload, csvRows, f, goodCsv, labels, png } from './brokenKit';
import { cifarBytes, fakePng, idxImages, idxLabels, utf8 } from './testFixtures';
import { editTree, fakeJpeg, fakeTinyImageNet, zipFiles } from './tinyImageNetFixture';

const idxPair = (prefix: string, images: Uint8Array, lab: Uint8Array) => [
  f(`${prefix}-images-idx3-ubyte`, images),
  f(`${prefix}-labels-idx1-ubyte`, lab),
];
/** A small tiny-imagenet-200.zip with one edit (paths below its top folder; null removes). */
const tiny = (edits: Parameters<typeof editTree>[1]) => () => [
  f('tiny-imagenet-200.zip', zipFiles(editTree(fakeTinyImageNet({ trainPerClass: 2, valPerClass: 1, side: 8 }), edits))),
];

export const BROKEN_UPLOADS: BrokenUpload[] = [
  ...BROKEN_ARCHIVES,
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
