// Decodes public/datasets/mnist.bin, the built-in MNIST written at build time by
// scripts/buildMnist.mjs (the format is documented there). Views into the given bytes,
// no copies. Every header field is checked, so a stale or damaged file fails clearly.

import type { Dataset } from '../dataset';
import { DatasetFormatError } from '../formats/errors';

const MNIST_BIN_MAGIC = 'RMNI';
const MNIST_BIN_VERSION = 1;
const HEADER_BYTES = 32;
const FILE = 'mnist.bin';
const REBUILD = 'rebuild it with `npm run datasets -- --force`';

export function decodeMnistBin(bytes: Uint8Array): Dataset {
  if (bytes.length === 0) throw new DatasetFormatError('empty', `the file is empty; ${REBUILD}`, FILE);
  // Magic first: a server that lacks the file often answers with a short HTML page.
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length >= 4 && magic !== MNIST_BIN_MAGIC) {
    throw new DatasetFormatError(
      'bad-magic',
      `starts with ${JSON.stringify(magic)}, not "${MNIST_BIN_MAGIC}"; the server did not send the dataset file (a missing file often comes back as an HTML page), ${REBUILD}`,
      FILE,
    );
  }
  if (bytes.length < HEADER_BYTES)
    throw new DatasetFormatError('truncated', `${bytes.length} bytes is shorter than the ${HEADER_BYTES}-byte header; ${REBUILD}`, FILE);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  const headerBytes = view.getUint16(6, true);
  if (version !== MNIST_BIN_VERSION || headerBytes !== HEADER_BYTES) {
    throw new DatasetFormatError(
      'unknown-format',
      `is version ${version} with a ${headerBytes}-byte header; this build reads version ${MNIST_BIN_VERSION} (${HEADER_BYTES} bytes), ${REBUILD}`,
      FILE,
    );
  }
  const trainCount = view.getUint32(8, true);
  const testCount = view.getUint32(12, true);
  const height = view.getUint16(16, true);
  const width = view.getUint16(18, true);
  const channels = view.getUint16(20, true);
  const classes = view.getUint16(22, true);
  if (!height || !width || !channels || !classes || !trainCount || !testCount) {
    throw new DatasetFormatError(
      'empty',
      `the header has a zero field (train ${trainCount}, test ${testCount}, ${channels}x${height}x${width}, ${classes} classes); ${REBUILD}`,
      FILE,
    );
  }
  const per = channels * height * width;
  const expected = HEADER_BYTES + (trainCount + testCount) * (per + 1);
  if (bytes.length < expected)
    throw new DatasetFormatError(
      'truncated',
      `${bytes.length} bytes, but the header promises ${expected}; the download was cut off or ${REBUILD}`,
      FILE,
    );
  if (bytes.length > expected)
    throw new DatasetFormatError('size-mismatch', `${bytes.length} bytes, but the header describes ${expected}; ${REBUILD}`, FILE);
  let at = HEADER_BYTES;
  const split = (count: number, name: string) => {
    const pixels = bytes.subarray(at, at + count * per);
    const labels = bytes.subarray(at + count * per, at + count * (per + 1));
    at += count * (per + 1);
    for (let i = 0; i < count; i++) {
      if (labels[i] >= classes)
        throw new DatasetFormatError(
          'label-range',
          `${name} image ${i} has label ${labels[i]} but there are ${classes} classes; ${REBUILD}`,
          FILE,
        );
    }
    return { pixels, labels, count };
  };
  const train = split(trainCount, 'train');
  const test = split(testCount, 'test');
  return {
    id: 'mnist',
    name: 'MNIST',
    channels,
    height,
    width,
    classNames: Array.from({ length: classes }, (_, i) => String(i)),
    train,
    test,
  };
}
