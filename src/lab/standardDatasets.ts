// The public benchmarks a user uploads once (CIFAR-10, CIFAR-100, Tiny ImageNet) under a
// name an experiment can use: `dataset: "cifar10"` means "the CIFAR-10 upload in this
// browser", whatever its file's hash. An upload is that dataset when its shape, classes
// and split sizes are the benchmark's; the lab never downloads them itself.

import type { Dataset } from '../data';

export interface StandardDataset {
  id: string;
  name: string;
  /** The file to download and drop, and where it is published. */
  file: string;
  url: string;
  channels: number;
  size: number;
  classes: number;
  trainCount: number;
  testCount: number;
  /** `--data` of the exported train.py that loads the full dataset. */
  pytorchData: string;
}

export const STANDARD_DATASETS: readonly StandardDataset[] = [
  {
    id: 'cifar10',
    name: 'CIFAR-10',
    file: 'cifar-10-binary.tar.gz',
    url: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    channels: 3,
    size: 32,
    classes: 10,
    trainCount: 50000,
    testCount: 10000,
    pytorchData: 'cifar10',
  },
  {
    id: 'cifar100',
    name: 'CIFAR-100',
    file: 'cifar-100-binary.tar.gz',
    url: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    channels: 3,
    size: 32,
    classes: 100,
    trainCount: 50000,
    testCount: 10000,
    pytorchData: 'cifar100',
  },
  {
    id: 'tiny-imagenet',
    name: 'Tiny ImageNet',
    file: 'tiny-imagenet-200.zip',
    url: 'http://cs231n.stanford.edu/tiny-imagenet-200.zip',
    channels: 3,
    size: 64,
    classes: 200,
    trainCount: 100000,
    testCount: 10000,
    pytorchData: 'tinyimagenet',
  },
];

export const findStandardDataset = (id: string): StandardDataset | undefined => STANDARD_DATASETS.find((d) => d.id === id);
export const isStandardDatasetId = (id: string): boolean => findStandardDataset(id) !== undefined;

/** What an upload has, as the store summarises it or as a parsed Dataset says. */
export interface DatasetFacts {
  channels: number;
  size: number;
  classes: number;
  trainCount: number;
  testCount: number;
}

export const factsOf = (d: Dataset): DatasetFacts => ({
  channels: d.channels,
  size: d.height,
  classes: d.classNames.length,
  trainCount: d.train.count,
  testCount: d.test.count,
});

export const isStandardUpload = (facts: DatasetFacts, std: StandardDataset): boolean =>
  facts.channels === std.channels &&
  facts.size === std.size &&
  facts.classes === std.classes &&
  facts.trainCount === std.trainCount &&
  facts.testCount === std.testCount;

/** How to get `std` into the lab, for an experiment that names it. */
export function uploadHint(std: StandardDataset): string {
  return `this experiment trains on ${std.name}, which the lab does not ship: download ${std.file} (${std.url}) and drop it on the lab once; it stays in this browser for every experiment that uses ${std.name}`;
}

/** Why an upload that should be `std` is not, in words. */
export function mismatch(facts: DatasetFacts, std: StandardDataset): string {
  const had = `${facts.channels}x${facts.size}x${facts.size}, ${facts.classes} classes, ${facts.trainCount} training and ${facts.testCount} test images`;
  const want = `${std.channels}x${std.size}x${std.size}, ${std.classes} classes, ${std.trainCount} training and ${std.testCount} test images`;
  return `the files are not ${std.name}: they hold ${had}, ${std.name} has ${want}; use ${std.file} as published (${std.url})`;
}
