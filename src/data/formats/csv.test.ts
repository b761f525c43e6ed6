import { describe, expect, it } from 'vitest';
import { parseCsvFiles } from './csv';
import { DatasetFormatError } from './errors';
import { errorCode, utf8 } from './testFixtures';

const csv = (name: string, text: string) => ({ name, bytes: utf8(text) });

describe('pixel CSV', () => {
  it('skips a detected header, infers a grey square and reads numeric labels', () => {
    const p = parseCsvFiles([csv('mnist_train.csv', 'label,1x1,1x2,2x1,2x2\r\n3,0,1,2,255\r\n\r\n0,4,5,6,7\r\n')]);
    expect([p.channels, p.height, p.width]).toEqual([1, 2, 2]);
    expect(p.classNames).toEqual(['0', '1', '2', '3']);
    expect(Array.from(p.train!.labels)).toEqual([3, 0]);
    expect(Array.from(p.train!.pixels)).toEqual([0, 1, 2, 255, 4, 5, 6, 7]);
    expect(p.test).toBeNull();
  });

  it('reads RGB rows as planes, or per pixel with pixelOrder hwc, and names classes from text labels', () => {
    const row = (label: string) => `${label},1,2,3,4,5,6,7,8,9,10,11,12`;
    const chw = parseCsvFiles([csv('a.csv', `${row('cat')}\n${row('dog')}`), csv('a_test.csv', row('"cat"'))]);
    expect([chw.channels, chw.height, chw.width]).toEqual([3, 2, 2]);
    expect(chw.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(chw.train!.labels)).toEqual([0, 1]);
    expect(Array.from(chw.test!.labels)).toEqual([0]);
    expect(Array.from(chw.train!.pixels.subarray(0, 12))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const hwc = parseCsvFiles([csv('a.csv', row('1'))], { pixelOrder: 'hwc' });
    expect(Array.from(hwc.train!.pixels)).toEqual([1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]);
  });

  it('takes stated dims, tab separators and "12.0"-style values', () => {
    const p = parseCsvFiles([csv('x.tsv', '1\t10\t20.0\t 30 \t40\t50\t60\n')], { channels: 1, height: 2, width: 3, header: false });
    expect([p.channels, p.height, p.width]).toEqual([1, 2, 3]);
    expect(Array.from(p.train!.pixels)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('gives line-numbered errors with specific codes', async () => {
    const run =
      (text: string, opts = {}) =>
      () =>
        parseCsvFiles([csv('d.csv', text)], opts);
    expect(await errorCode(run('1,0,0,0,0\n2,0,0,0\n'))).toBe('size-mismatch');
    expect(run('1,0,0,0,0\n2,0,0,0\n')).toThrow(/line 2 has 3 pixel values/);
    expect(await errorCode(run('1,0,0,0,0\n2,0,300,0,0\n'))).toBe('bad-value');
    expect(run('1,0,0,0,0\n2,0,300,0,0\n')).toThrow(/line 2, column 3: pixel value "300"/);
    expect(await errorCode(run('1,0,0,0,0\n2,0,x,0,0\n'))).toBe('bad-value');
    expect(await errorCode(run('1,0,0,0,0\n-1,0,0,0,0\n'))).toBe('label-range');
    expect(run('1,0,0,0,0\n-1,0,0,0,0\n')).toThrow(/line 2: label -1/);
    expect(await errorCode(run('1.5,0,0,0,0\n'))).toBe('label-range');
    expect(await errorCode(run(',0,0,0,0\n'))).toBe('bad-value');
    expect(await errorCode(run('1,0,0,0,0,0\n'))).toBe('size-mismatch');
    expect(await errorCode(run('1,0,0,0,0\n', { height: 3, width: 3 }))).toBe('size-mismatch');
    expect(await errorCode(run('1\n2\n'))).toBe('size-mismatch');
    expect(await errorCode(run('label,a,b,c,d\n\n'))).toBe('empty');
    expect(await errorCode(run(''))).toBe('empty');
    const other = () => parseCsvFiles([csv('a.csv', '1,0,0,0,0'), csv('b.csv', '1,0,0,0,0,0,0,0,0,0')]);
    expect(await errorCode(other)).toBe('size-mismatch');
    const thrown = (() => {
      try {
        run('1,0,0,0,0\n2,0,300,0,0\n')();
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(DatasetFormatError);
    expect((thrown as DatasetFormatError).file).toBe('d.csv');
  });
});
