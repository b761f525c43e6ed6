// How a dataset's examples spread over its declared classes: counts per class, the
// refusal of data a classifier cannot learn from (fewer than two classes with examples),
// the "10 classes, 9 empty" wording, and a copy without the empty classes. Pure.

import type { Dataset, ImageSplit } from './dataset';
import { DatasetFormatError } from './formats/errors';

/** Examples per class over the given splits. */
export function classCounts(classes: number, ...splits: ImageSplit[]): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const s of splits) for (let i = 0; i < s.count; i++) counts[s.labels[i]]++;
  return counts;
}

/** Indices of the declared classes that hold no example in either split. */
export function emptyClasses(d: Pick<Dataset, 'classNames' | 'train' | 'test'>): number[] {
  return classCounts(d.classNames.length, d.train, d.test).flatMap((n, i) => (n === 0 ? [i] : []));
}

/** "10 classes" or "10 classes, 9 empty". */
export function describeClasses(classes: number, empty: number): string {
  return `${classes} class${classes === 1 ? '' : 'es'}${empty > 0 ? `, ${empty} empty` : ''}`;
}

/** Throws 'too-few-classes' when fewer than two classes hold examples: every label is the
 * same, so there is nothing to tell apart and accuracy would read 100% from the start. */
export function checkClassCount(classNames: string[], splits: ImageSplit[], file?: string): void {
  const counts = classCounts(classNames.length, ...splits);
  const used = counts.flatMap((n, i) => (n > 0 ? [i] : []));
  if (used.length >= 2) return;
  const total = counts.reduce((a, b) => a + b, 0);
  const which =
    used.length === 1
      ? `all ${total} examples carry label ${classNames[used[0]]} (class ${used[0]} of ${classNames.length})`
      : 'no class holds an example';
  throw new DatasetFormatError(
    'too-few-classes',
    `${which}; a classifier needs at least two classes with examples. Check that the labels were exported (not all one value), or upload the files of the other classes too`,
    file,
  );
}

/** The dataset with its empty classes removed and labels renumbered in order; `id` and
 * `name` name the new dataset (the original is left as it is). */
export function dropEmptyClasses(d: Dataset, id: string, name: string): Dataset {
  const empty = new Set(emptyClasses(d));
  if (empty.size === 0) throw new Error(`${d.name} has no empty classes to drop`);
  const keep = d.classNames.flatMap((_, i) => (empty.has(i) ? [] : [i]));
  const newIndex = new Map(keep.map((old, i) => [old, i]));
  const relabel = (s: ImageSplit): ImageSplit => {
    const labels = keep.length <= 256 ? new Uint8Array(s.count) : new Uint16Array(s.count);
    for (let i = 0; i < s.count; i++) labels[i] = newIndex.get(s.labels[i])!;
    return { pixels: s.pixels, labels, count: s.count };
  };
  return { ...d, id, name, classNames: keep.map((i) => d.classNames[i]), train: relabel(d.train), test: relabel(d.test) };
}
