// CIFAR-10 and CIFAR-100 binary batches (the "binary version" downloads, not the
// Python pickles). CIFAR-10 records: 1 label byte + 3072 pixel bytes (32x32, R plane,
// G plane, B plane); CIFAR-100 records: coarse + fine label bytes + 3072. We train on
// the fine labels and name them with the official 100 names (alphabetical, as in
// fine_label_names.txt); a label-names file in the upload overrides the built-in names.

import { DatasetFormatError } from './errors';
import { baseName, checkLabels, concatSplits, makeLabels, roleFromName, type InputFile, type ParsedImages } from './common';
import type { ImageSplit } from '../dataset';

export type CifarKind = 'cifar10' | 'cifar100';

const PIXELS = 3 * 32 * 32;
const RECORD: Record<CifarKind, number> = { cifar10: 1 + PIXELS, cifar100: 2 + PIXELS };

export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export const CIFAR100_CLASS_NAMES = (
  'apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel can castle ' +
  'caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin elephant flatfish ' +
  'forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man maple_tree motorcycle ' +
  'mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree plain plate poppy porcupine ' +
  'possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper snail snake spider squirrel streetcar ' +
  'sunflower sweet_pepper table tank telephone television tiger tractor train trout tulip turtle wardrobe whale willow_tree ' +
  'wolf woman worm'
).split(' ');

const COARSE_CLASSES = 20;

const NAME_PATTERNS: [RegExp, CifarKind][] = [
  [/^(data_batch_\d+|test_batch)\.bin$/, 'cifar10'],
  [/^(train|test)\.bin$/, 'cifar100'],
];

/** Which CIFAR variant a file is, from its name first and else from its size; null if neither fits. */
export function cifarKind(name: string, size: number): CifarKind | null {
  const base = baseName(name);
  for (const [re, kind] of NAME_PATTERNS) if (re.test(base)) return kind;
  if (!base.endsWith('.bin') || size === 0) return null;
  const fits10 = size % RECORD.cifar10 === 0;
  const fits100 = size % RECORD.cifar100 === 0;
  // A size that fits both (a multiple of 3073 * 3074) says nothing: ask for the real name.
  if (fits10 === fits100) return null;
  return fits10 ? 'cifar10' : 'cifar100';
}

/** Label-name files that ship inside the official archives. */
export function isCifarMetaFile(name: string): boolean {
  return ['batches.meta.txt', 'fine_label_names.txt', 'coarse_label_names.txt'].includes(baseName(name));
}

/** Parses one batch file into a split; `kind` as cifarKind decided. */
function parseCifarBatch(file: InputFile, kind: CifarKind): ImageSplit {
  const record = RECORD[kind];
  const n = file.bytes.length;
  if (n === 0) throw new DatasetFormatError('empty', 'the file is empty; upload the CIFAR batch files themselves', file.name);
  if (n % record !== 0) {
    const variant = kind === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100';
    throw new DatasetFormatError(
      'truncated',
      `${n} bytes is not a whole number of ${record}-byte ${variant} records (${Math.floor(n / record)} records and ${n % record} bytes left over); the download is probably cut off, download it again`,
      file.name,
    );
  }
  const count = n / record;
  const pixels = new Uint8Array(count * PIXELS);
  const labels = makeLabels(count, 256);
  const labelBytes = record - PIXELS;
  for (let i = 0; i < count; i++) {
    const at = i * record;
    if (kind === 'cifar100' && file.bytes[at] >= COARSE_CLASSES) {
      throw new DatasetFormatError(
        'label-range',
        `record ${i} has coarse label ${file.bytes[at]}, but CIFAR-100 has ${COARSE_CLASSES} coarse classes; the file is not CIFAR-100 binary or is damaged`,
        file.name,
      );
    }
    labels[i] = file.bytes[at + labelBytes - 1];
    pixels.set(file.bytes.subarray(at + labelBytes, at + record), i * PIXELS);
  }
  const classes = kind === 'cifar10' ? 10 : 100;
  checkLabels(labels, classes, file.name, `the file is not ${kind === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'} binary or is damaged`);
  return { pixels, labels, count };
}

/** All CIFAR batch files of one upload as one dataset: *_batch / train files train, test files test. */
export function parseCifar(files: InputFile[], metaFiles: InputFile[] = []): ParsedImages {
  const kinds = new Set<CifarKind>();
  const train: ImageSplit[] = [];
  const test: ImageSplit[] = [];
  // Sorted so data_batch_1..5 concatenate in their official order whatever the upload order.
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  for (const f of sorted) {
    const kind = cifarKind(f.name, f.bytes.length);
    if (!kind) {
      throw new DatasetFormatError(
        'unknown-format',
        `cannot tell CIFAR-10 from CIFAR-100 by name or size; rename it data_batch_N.bin / test_batch.bin (CIFAR-10) or train.bin / test.bin (CIFAR-100)`,
        f.name,
      );
    }
    kinds.add(kind);
    (roleFromName(f.name) === 'test' ? test : train).push(parseCifarBatch(f, kind));
  }
  if (kinds.size !== 1) {
    throw new DatasetFormatError('unknown-format', 'the upload mixes CIFAR-10 and CIFAR-100 files; upload one dataset at a time');
  }
  const kind = [...kinds][0];
  const classNames = namesFromMeta(kind, metaFiles) ?? (kind === 'cifar10' ? CIFAR10_CLASS_NAMES : CIFAR100_CLASS_NAMES);
  const classes = classNames.length;
  return {
    format: kind === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100',
    channels: 3,
    height: 32,
    width: 32,
    classNames: [...classNames],
    train: train.length ? concatSplits(train, PIXELS, classes) : null,
    test: test.length ? concatSplits(test, PIXELS, classes) : null,
  };
}

function namesFromMeta(kind: CifarKind, metaFiles: InputFile[]): string[] | null {
  const wanted = kind === 'cifar10' ? 'batches.meta.txt' : 'fine_label_names.txt';
  const expect = kind === 'cifar10' ? 10 : 100;
  const file = metaFiles.find((f) => baseName(f.name) === wanted);
  if (!file) return null;
  const names = new TextDecoder()
    .decode(file.bytes)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  // A names file of the wrong length is someone else's; the built-in names are right for the data.
  return names.length === expect ? names : null;
}
