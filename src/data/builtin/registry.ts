// The datasets the lab offers without an upload: what the picker shows (id, name,
// sizes) and how each one loads. Fetching is injected (the browser passes a fetch
// relative to the app's base URL, tests read from disk), so this stays framework-free.

import type { Dataset } from '../dataset';
import { makeSyntheticShapes, SHAPE_CLASS_NAMES } from '../synthetic';
import { decodeMnistBin } from './mnistBin';

/** Reads a file under public/ by its path relative to the site root, e.g. "datasets/mnist.bin". */
export type FetchBytes = (path: string) => Promise<Uint8Array>;

export interface BuiltinDataset {
  id: string;
  name: string;
  description: string;
  channels: number;
  /** Side of the square images in pixels. */
  size: number;
  classes: number;
  load(fetchBytes: FetchBytes): Promise<Dataset>;
}

export const MNIST_BIN_URL = 'datasets/mnist.bin';

export const BUILTIN_DATASETS: readonly BuiltinDataset[] = [
  {
    id: 'mnist',
    name: 'MNIST (10k)',
    description: '10,000 real handwritten digits, 28x28 grey: 7,996 train and 2,004 test (80/20 of each digit).',
    channels: 1,
    size: 28,
    classes: 10,
    load: async (fetchBytes) => decodeMnistBin(await fetchBytes(MNIST_BIN_URL)),
  },
  {
    id: 'shapes',
    name: 'Synthetic shapes',
    description: 'Ten classes of coloured shapes and textures, 32x32 RGB, generated in memory: 5,000 train and 1,000 test.',
    channels: 3,
    size: 32,
    classes: SHAPE_CLASS_NAMES.length,
    load: async () => makeSyntheticShapes({ size: 32, trainCount: 5000, testCount: 1000 }),
  },
];

export function findBuiltinDataset(id: string): BuiltinDataset {
  const found = BUILTIN_DATASETS.find((d) => d.id === id);
  if (!found) throw new Error(`unknown built-in dataset "${id}"; choose one of ${BUILTIN_DATASETS.map((d) => d.id).join(', ')}`);
  return found;
}
