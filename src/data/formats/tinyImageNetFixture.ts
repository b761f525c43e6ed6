// Test-only: a small fake tiny-imagenet-200 tree with real JPEG files (testJpeg.ts), laid out
// as the download is (wnids.txt unsorted, words.txt with ids of other classes too, boxes
// files, val_annotations.txt, unlabelled test/images), and edits that break it one way at
// a time. Unit tests and the e2e share it. Not used by app code.

import { zipSync } from 'fflate';
import type { InputFile } from './common';
import { encodeJpeg } from './testJpeg';

/** wnids.txt order, as downloaded: not sorted. */
export const FAKE_WNIDS = ['n02123045', 'n01443537', 'n01641577'];
const WORDS: Record<string, string> = {
  n00001740: 'entity',
  n01443537: 'goldfish, Carassius auratus',
  n01641577: 'bullfrog, Rana catesbeiana',
  n02123045: 'tabby, tabby cat',
  n09999999: 'not in this tree',
};
/** Each class's colour (by wnid); image pixels vary a little around it. */
export const FAKE_COLOURS: Record<string, [number, number, number]> = {
  n01443537: [220, 120, 30],
  n01641577: [40, 160, 60],
  n02123045: [90, 80, 200],
};

export interface FakeTinyOptions {
  /** '' for a zip without its top folder. Default 'tiny-imagenet-200/'. */
  root?: string;
  trainPerClass?: number;
  valPerClass?: number;
  testImages?: number;
  /** Image side; the real set's is 64. */
  side?: number;
}

export interface FakeTinyImageNet {
  files: InputFile[];
  root: string;
  /** The image encoded as one grey component (Tiny ImageNet has such files). */
  greyImage: string;
  /** Per val image (in file order): its wnid. */
  valWnids: string[];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A side x side JPEG around `rgb` (k shifts the pattern); grey when `grey`. */
export function fakeJpeg(side: number, rgb: [number, number, number], k: number, grey = false): Uint8Array {
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const d = ((x + y + 3 * k) % 16) - 8;
      const [r, g, b] = grey ? [128, 128, 128] : rgb;
      rgba.set([r + d, g + d, b + d, 255], 4 * (y * side + x));
    }
  }
  return encodeJpeg({ width: side, height: side, rgba }, { grey });
}

export function fakeTinyImageNet(opts: FakeTinyOptions = {}): FakeTinyImageNet {
  const { root = 'tiny-imagenet-200/', trainPerClass = 4, valPerClass = 2, testImages = 3, side = 64 } = opts;
  const files: InputFile[] = [];
  const add = (path: string, bytes: Uint8Array) => files.push({ name: `${root}${path}`, bytes });
  add('wnids.txt', utf8(`${FAKE_WNIDS.join('\n')}\n`));
  add(
    'words.txt',
    utf8(
      Object.entries(WORDS)
        .map(([id, w]) => `${id}\t${w}\n`)
        .join(''),
    ),
  );
  const greyImage = `${root}train/n01443537/images/n01443537_0.JPEG`;
  for (const wnid of FAKE_WNIDS) {
    const boxes: string[] = [];
    for (let k = 0; k < trainPerClass; k++) {
      const name = `${wnid}_${k}.JPEG`;
      add(`train/${wnid}/images/${name}`, fakeJpeg(side, FAKE_COLOURS[wnid], k, `${root}train/${wnid}/images/${name}` === greyImage));
      boxes.push(`${name}\t0\t0\t${side - 1}\t${side - 1}\n`);
    }
    add(`train/${wnid}/${wnid}_boxes.txt`, utf8(boxes.join('')));
  }
  const valWnids = Array.from({ length: valPerClass * FAKE_WNIDS.length }, (_, k) => FAKE_WNIDS[k % FAKE_WNIDS.length]);
  valWnids.forEach((wnid, k) => add(`val/images/val_${k}.JPEG`, fakeJpeg(side, FAKE_COLOURS[wnid], k + 7)));
  add('val/val_annotations.txt', utf8(valWnids.map((w, k) => `val_${k}.JPEG\t${w}\t0\t0\t${side - 1}\t${side - 1}\n`).join('')));
  for (let k = 0; k < testImages; k++) add(`test/images/test_${k}.JPEG`, fakeJpeg(side, [128, 128, 128], k));
  return { files, root, greyImage, valWnids };
}

/** The tree with files replaced (bytes), added, or removed (null); paths below the root. */
export function editTree(tree: FakeTinyImageNet, edits: Record<string, Uint8Array | string | null>): InputFile[] {
  const out = tree.files.filter((f) => !(f.name.slice(tree.root.length) in edits));
  for (const [path, v] of Object.entries(edits))
    if (v !== null) out.push({ name: `${tree.root}${path}`, bytes: typeof v === 'string' ? utf8(v) : v });
  return out;
}

export function zipFiles(files: InputFile[]): Uint8Array {
  return zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])));
}
