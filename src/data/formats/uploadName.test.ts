import { describe, expect, it } from 'vitest';
import { defaultUploadName, stemOf } from './uploadName';

const files = (...names: string[]) => names.map((name) => ({ name }));

describe('default upload names', () => {
  it('names an upload by its archive, folder or first file, then its format', () => {
    expect(defaultUploadName(files('cifar-10-binary.tar.gz'), 'CIFAR-10')).toBe('cifar-10-binary · CIFAR-10');
    expect(defaultUploadName(files('fashion.zip'), 'Fashion-MNIST')).toBe('fashion · Fashion-MNIST');
    expect(defaultUploadName(files('pets/cat/1.png', 'pets/dog/2.png'), 'image folders')).toBe('pets · image folders');
    expect(defaultUploadName(files('digits.csv'), 'CSV')).toBe('digits · CSV');
    expect(defaultUploadName(files('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'), 'IDX')).toBe(
      'train-images-idx3-ubyte and 1 more · IDX',
    );
    expect(stemOf('data/test_batch.bin')).toBe('test_batch');
  });

  it('keeps long names short', () => {
    const name = defaultUploadName(files(`${'x'.repeat(200)}.zip`), 'CSV');
    expect(name.length).toBe(80);
    expect(name.endsWith('…')).toBe(true);
  });
});
