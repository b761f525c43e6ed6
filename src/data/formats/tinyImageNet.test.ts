import { describe, expect, it } from 'vitest';
import type { Dataset } from '../dataset';
import { detectFormat, parseDatasetFiles } from './detect';
import type { DecodePlan } from './tinyImageNet';
import { editTree, FAKE_COLOURS, FAKE_WNIDS, fakeJpeg, fakeTinyImageNet, zipFiles } from './tinyImageNetFixture';
import { decodeJpeg, encodeJpeg } from './testJpeg';
import { errorCode, testDecode } from './testFixtures';
import { DatasetFormatError } from './errors';

const SORTED = [...FAKE_WNIDS].sort();
const NAMES = ['n01443537 goldfish', 'n01641577 bullfrog', 'n02123045 tabby'];
const images = { decode: testDecode };

/** Mean of channel c of image i of a split. */
function mean(d: Dataset, split: 'train' | 'test', i: number, c: number): number {
  const plane = d.height * d.width;
  const at = (i * 3 + c) * plane;
  let s = 0;
  for (let p = 0; p < plane; p++) s += d[split].pixels[at + p];
  return s / plane;
}

function expectColour(d: Dataset, split: 'train' | 'test', i: number, rgb: number[]) {
  rgb.forEach((v, c) => expect(Math.abs(mean(d, split, i, c) - v), `${split} image ${i} channel ${c}`).toBeLessThan(3));
}

describe('the test JPEG codec', () => {
  it('round-trips odd sizes and grey within JPEG error, and writes JPEG markers', () => {
    const rgba = new Uint8ClampedArray(13 * 10 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 37) % 200));
    const bytes = encodeJpeg({ width: 13, height: 10, rgba });
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    const back = decodeJpeg(bytes);
    expect([back.width, back.height]).toEqual([13, 10]);
    const smooth = decodeJpeg(fakeJpeg(16, [200, 50, 90], 1));
    expect(Math.abs(smooth.rgba[0] - (200 - 8 + 3))).toBeLessThan(4);
    const grey = decodeJpeg(fakeJpeg(16, [200, 50, 90], 0, true));
    expect(grey.rgba[0]).toBe(grey.rgba[1]);
    expect(grey.rgba[1]).toBe(grey.rgba[2]);
  });
});

describe('Tiny ImageNet: the fake tree', () => {
  it('parses as one dataset: classes from wnids.txt (sorted), names from words.txt, train/ and val/ as the split', async () => {
    const tree = fakeTinyImageNet();
    const d = await parseDatasetFiles([{ name: 'tiny-imagenet-200.zip', bytes: zipFiles(tree.files) }], { images });
    expect(d.classNames).toEqual(NAMES);
    expect([d.channels, d.height, d.width]).toEqual([3, 64, 64]);
    expect(d.name).toBe('tiny-imagenet-200 · Tiny ImageNet');
    expect(d.train.count).toBe(12);
    expect(d.test.count).toBe(6);
    // Train is in class order, 4 each; val follows val_annotations.txt.
    expect([...d.train.labels]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect([...d.test.labels]).toEqual(tree.valWnids.map((w) => SORTED.indexOf(w)));
    // Pixels land in their own slots: each image has its class's colour (the grey JPEG, grey RGB).
    expectColour(d, 'train', 0, [128, 128, 128]);
    for (let i = 1; i < 12; i++) expectColour(d, 'train', i, FAKE_COLOURS[SORTED[d.train.labels[i]]]);
    for (let i = 0; i < 6; i++) expectColour(d, 'test', i, FAKE_COLOURS[tree.valWnids[i]]);
  });

  it('is found without the top folder, and as a dropped folder of files', async () => {
    const bare = fakeTinyImageNet({ root: '', trainPerClass: 2, valPerClass: 1, side: 8 });
    expect(detectFormat(bare.files)).toBe('tiny-imagenet');
    const fromZip = await parseDatasetFiles([{ name: 'tiny.zip', bytes: zipFiles(bare.files) }], { images });
    expect([fromZip.classNames, fromZip.train.count, fromZip.test.count]).toEqual([NAMES, 6, 3]);
    const folder = fakeTinyImageNet({ trainPerClass: 2, valPerClass: 1, side: 8 });
    const dropped = await parseDatasetFiles(folder.files, { images });
    expect([dropped.classNames, dropped.train.count, dropped.test.count, dropped.height]).toEqual([NAMES, 6, 3, 8]);
    expect(dropped.name).toBe('tiny-imagenet-200 · Tiny ImageNet');
  });

  it('says how big it will be before decoding, reports progress, and notes the unlabelled test/', async () => {
    const tree = fakeTinyImageNet({ trainPerClass: 3, valPerClass: 2, testImages: 5, side: 16 });
    const events: string[] = [];
    let plan: DecodePlan | undefined;
    const decode = async (bytes: Uint8Array, mime: string) => {
      events.push('decode');
      return testDecode(bytes, mime);
    };
    const notes: string[] = [];
    const progress: number[] = [];
    await parseDatasetFiles(tree.files, {
      images: { decode },
      hooks: {
        beforeDecode: (p) => {
          plan = p;
          events.push('plan');
        },
        onDecodeProgress: (done, total) => progress.push(done / total),
        onNote: (n) => notes.push(n),
      },
    });
    expect(plan).toEqual({ format: 'Tiny ImageNet', images: 15, bytes: 15 * (3 * 16 * 16 + 1) });
    // One image decoded to learn the size, then the plan, then the rest.
    expect(events.slice(0, 3)).toEqual(['decode', 'plan', 'decode']);
    expect(events.filter((e) => e === 'decode')).toHaveLength(15);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(notes).toEqual([
      'test/ holds 5 unlabelled image(s) (Tiny ImageNet publishes no test labels); they were left out, and val/ is the test split',
    ]);
  });

  it("a refusal before decoding stops the upload with the hook's error", async () => {
    const tree = fakeTinyImageNet({ trainPerClass: 2, valPerClass: 1, side: 8 });
    let decoded = 0;
    const decode = async (bytes: Uint8Array, mime: string) => {
      decoded++;
      return testDecode(bytes, mime);
    };
    const run = parseDatasetFiles(tree.files, {
      images: { decode },
      hooks: { beforeDecode: () => Promise.reject(new Error('not enough room')) },
    });
    await expect(run).rejects.toThrow('not enough room');
    expect(decoded).toBe(1);
  });

  it('without val/ holds out part of train/, and without words.txt names classes by id', async () => {
    const tree = fakeTinyImageNet({ trainPerClass: 5, valPerClass: 1, testImages: 0, side: 8 });
    const noVal = editTree(tree, {
      'val/val_annotations.txt': null,
      'val/images/val_0.JPEG': null,
      'val/images/val_1.JPEG': null,
      'val/images/val_2.JPEG': null,
      'words.txt': null,
    });
    const notes: string[] = [];
    const d = await parseDatasetFiles(noVal, { images, testFraction: 0.2, hooks: { onNote: (n) => notes.push(n) } });
    expect(d.classNames).toEqual(SORTED);
    expect([d.train.count, d.test.count]).toEqual([12, 3]);
    expect(notes).toEqual([
      'there is no val/ folder: part of train/ is held out as the test split',
      'there is no words.txt: classes are named by their WordNet ids',
    ]);
  });

  it('resizes to a chosen size, and refuses images of another size without one', async () => {
    const tree = fakeTinyImageNet({ trainPerClass: 2, valPerClass: 1, side: 16 });
    const odd = editTree(tree, { 'train/n01641577/images/n01641577_1.JPEG': fakeJpeg(24, [1, 2, 3], 0) });
    const e = await parseDatasetFiles(odd, { images }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DatasetFormatError);
    expect((e as DatasetFormatError).message).toMatch(
      /^tiny-imagenet-200\/train\/n01641577\/images\/n01641577_1\.JPEG: is 24x24 but .* is 16x16; choose an image size/,
    );
    const resized = await parseDatasetFiles(odd, { images: { ...images, size: 8 } });
    expect([resized.height, resized.width, resized.train.count]).toEqual([8, 8, 6]);
  });
});

describe('Tiny ImageNet: a bad tree gets an error naming the fault and the fix', () => {
  const tree = fakeTinyImageNet({ trainPerClass: 2, valPerClass: 1, testImages: 0, side: 8 });
  const refused = async (files: ReturnType<typeof editTree>) => {
    const e = await parseDatasetFiles([{ name: 'tiny-imagenet-200.zip', bytes: zipFiles(files) }], { images }).catch((x: unknown) => x);
    if (!(e instanceof DatasetFormatError)) throw new Error(`expected a DatasetFormatError, got ${String(e)}`);
    return { code: e.code, message: e.message };
  };

  it.each([
    [
      'val_annotations.txt missing',
      { 'val/val_annotations.txt': null },
      'missing-file',
      /^tiny-imagenet-200\.zip: tiny-imagenet-200\/val\/ has no val_annotations\.txt, the file that gives each val image its class .*copy it from the original tiny-imagenet-200\.zip/,
    ],
    [
      'a wnid without images',
      { 'train/n01641577/images/n01641577_0.JPEG': null, 'train/n01641577/images/n01641577_1.JPEG': null },
      'empty-class',
      /^tiny-imagenet-200\.zip \(tiny-imagenet-200\/wnids\.txt\): wnids\.txt lists n01641577 but train\/n01641577\/images\/ holds no images; restore that folder/,
    ],
    [
      'a val annotation naming an unknown wnid',
      { 'val/val_annotations.txt': 'val_0.JPEG\tn02123045\nval_1.JPEG\tn07777777\t0\t0\t7\t7\nval_2.JPEG\tn01641577\n' },
      'unknown-class',
      /\(tiny-imagenet-200\/val\/val_annotations\.txt\): line 2 gives val_1\.JPEG the class n07777777, which wnids\.txt does not list/,
    ],
    [
      'a val annotation naming a missing file',
      { 'val/images/val_2.JPEG': null },
      'missing-file',
      /\(tiny-imagenet-200\/val\/val_annotations\.txt\): line 3 names val_2\.JPEG, which is not in val\/images\/; restore the image or delete the line/,
    ],
    [
      'a val image without an annotation',
      { 'val/images/val_9.JPEG': fakeJpeg(8, [1, 2, 3], 0) },
      'bad-annotation',
      /\(tiny-imagenet-200\/val\/images\/val_9\.JPEG\): has no line in val\/val_annotations\.txt/,
    ],
    [
      'a malformed annotation line',
      { 'val/val_annotations.txt': 'val_0.JPEG\tn02123045\nval_1.JPEG\n' },
      'bad-annotation',
      /line 2 \("val_1\.JPEG"\) has no class id/,
    ],
    [
      'a train folder wnids.txt does not list',
      { 'train/n07777777/images/n07777777_0.JPEG': fakeJpeg(8, [1, 2, 3], 0) },
      'unknown-class',
      /train\/n07777777\/ holds 1 image\(s\) but wnids\.txt does not list n07777777/,
    ],
    [
      'an undecodable JPEG',
      { 'train/n02123045/images/n02123045_1.JPEG': fakeJpeg(8, [1, 2, 3], 0).subarray(0, 300) },
      'bad-image',
      /^tiny-imagenet-200\.zip \(tiny-imagenet-200\/train\/n02123045\/images\/n02123045_1\.JPEG\): could not be decoded as image\/jpeg/,
    ],
    [
      'a .JPEG that is no image',
      { 'val/images/val_1.JPEG': 'not a picture' },
      'bad-magic',
      /\(tiny-imagenet-200\/val\/images\/val_1\.JPEG\): is named as an image but its bytes are not JPEG/,
    ],
  ] as const)('%s', async (_, edits, code, message) => {
    const e = await refused(editTree(tree, edits));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it("the unbroken tree passes (so each refusal above is its edit's doing)", async () => {
    expect(await errorCode(() => parseDatasetFiles(tree.files, { images }))).toBe('no error');
  });

  it('two trees in one upload are refused', async () => {
    const other = fakeTinyImageNet({ root: 'copy/', trainPerClass: 1, valPerClass: 1, side: 8 });
    expect(await errorCode(() => parseDatasetFiles([...tree.files, ...other.files], { images }))).toBe('unknown-format');
  });
});
