// The tiny-imagenet-200 tree as downloaded: wnids.txt (the classes), words.txt (their
// names), train/<wnid>/images/*.JPEG, val/images/*.JPEG labelled by val/val_annotations.txt,
// and test/images (unlabelled, left out). Finds the tree in an upload (zip with or without
// its top folder, or a dropped folder) and checks it; decoding is tinyImageNet.ts's.

import type { InputFile } from './common';
import { DatasetFormatError } from './errors';
import { imageMime, isImageName } from './imageFolder';

export interface TinyImage {
  file: InputFile;
  mime: string;
  label: number;
}

export interface TinyImageNetLayout {
  /** Sorted WordNet ids; a label is an index into this list. */
  wnids: string[];
  /** "n01443537 goldfish": the id and the first name words.txt gives it. */
  classNames: string[];
  train: TinyImage[];
  /** val/ (the labelled held-out images); empty when the tree has no val/. */
  test: TinyImage[];
  /** What was left out or assumed, for the user. */
  notes: string[];
}

const ANNOTATIONS = 'val/val_annotations.txt';
// The path below the tree's root of a file only Tiny ImageNet has.
const MARKER = /^((?:[^/]+\/)*?)(wnids\.txt|val\/val_annotations\.txt|train\/[^/]+\/images\/[^/]+)$/;
const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The folder the tree sits in ('' for a zip without a top folder, 'tiny-imagenet-200/'
 * otherwise), or null when the upload is no Tiny ImageNet tree. */
export function tinyImageNetRoot(files: InputFile[]): string | null {
  const roots = new Set<string>();
  for (const f of files) {
    const m = MARKER.exec(f.name);
    if (m) roots.add(m[1]);
  }
  if (roots.size > 1) {
    const list = [...roots].map((r) => r || 'the top level').join(' and ');
    throw new DatasetFormatError('unknown-format', `the upload holds more than one Tiny ImageNet tree (in ${list}); upload one at a time`);
  }
  return roots.size ? [...roots][0] : null;
}

const lines = (f: InputFile) => new TextDecoder().decode(f.bytes).split(/\r?\n/);

export function readTinyImageNet(files: InputFile[], root: string): TinyImageNetLayout {
  const tree = new Map<string, InputFile>();
  for (const f of files) if (f.name.startsWith(root)) tree.set(f.name.slice(root.length), f);
  const notes: string[] = [];
  const trainByWnid = trainImages(tree, root);
  const wnids = classList(tree, root, trainByWnid, notes);
  const label = new Map(wnids.map((w, i) => [w, i]));
  for (const [wnid, images] of trainByWnid) {
    if (!label.has(wnid))
      throw new DatasetFormatError(
        'unknown-class',
        `train/${wnid}/ holds ${images.length} image(s) but wnids.txt does not list ${wnid}; add the id to wnids.txt or remove the folder`,
        `${root}wnids.txt`,
      );
  }
  for (const wnid of wnids) {
    if (!trainByWnid.has(wnid)) {
      throw new DatasetFormatError(
        'empty-class',
        `wnids.txt lists ${wnid} but train/${wnid}/images/ holds no images; restore that folder from the original download, or remove ${wnid} from wnids.txt`,
        `${root}wnids.txt`,
      );
    }
  }
  const train = wnids.flatMap((w) => trainByWnid.get(w)!.map((x) => ({ ...x, label: label.get(w)! })));
  const test = valImages(tree, root, label, notes);
  const unlabelled = [...tree.keys()].filter((p) => p.startsWith('test/') && isImageName(p)).length;
  if (unlabelled)
    notes.push(
      `test/ holds ${unlabelled} unlabelled image(s) (Tiny ImageNet publishes no test labels); they were left out, and val/ is the test split`,
    );
  return { wnids, classNames: namesOf(wnids, tree.get('words.txt'), notes), train, test, notes };
}

/** Images under train/<wnid>/ (normally train/<wnid>/images/), by wnid, in name order. */
function trainImages(tree: Map<string, InputFile>, root: string): Map<string, Omit<TinyImage, 'label'>[]> {
  const out = new Map<string, Omit<TinyImage, 'label'>[]>();
  for (const [path, file] of [...tree].sort(([a], [b]) => byName(a, b))) {
    if (!path.startsWith('train/')) continue;
    const mime = imageOf(file);
    if (!mime) continue;
    const parts = path.split('/');
    if (parts.length < 3)
      throw new DatasetFormatError(
        'unknown-format',
        'is directly inside train/; Tiny ImageNet keeps each class in train/<wnid>/images/',
        file.name,
      );
    const list = out.get(parts[1]) ?? [];
    list.push({ file, mime });
    out.set(parts[1], list);
  }
  if (out.size === 0)
    throw new DatasetFormatError('empty', `no images under ${root}train/; Tiny ImageNet keeps them in train/<wnid>/images/*.JPEG`);
  return out;
}

/** wnids.txt's ids, sorted (as an ImageFolder over train/ numbers them); without the file, the train folders. */
function classList(tree: Map<string, InputFile>, root: string, trainByWnid: Map<string, unknown>, notes: string[]): string[] {
  const file = tree.get('wnids.txt');
  if (!file) {
    notes.push('there is no wnids.txt: the classes are the folders in train/');
    return [...trainByWnid.keys()].sort();
  }
  const ids = new Set<string>();
  lines(file).forEach((raw, i) => {
    const id = raw.trim();
    if (!id) return;
    if (/[\s/]/.test(id))
      throw new DatasetFormatError(
        'bad-annotation',
        `line ${i + 1} ("${id}") is not one WordNet id; wnids.txt holds one id (like n01443537) per line`,
        `${root}wnids.txt`,
      );
    ids.add(id);
  });
  if (ids.size === 0) throw new DatasetFormatError('empty', 'lists no class ids; it should hold one WordNet id per line', file.name);
  return [...ids].sort();
}

/** val/images/* labelled by val_annotations.txt; every line and every image must agree. */
function valImages(tree: Map<string, InputFile>, root: string, label: Map<string, number>, notes: string[]): TinyImage[] {
  const images = new Map([...tree].filter(([p]) => /^val\/images\/[^/]+$/.test(p) && isImageName(p)));
  const annotations = tree.get(ANNOTATIONS);
  if (!annotations) {
    const inVal = [...tree.keys()].filter((p) => p.startsWith('val/')).length;
    if (inVal === 0) {
      notes.push('there is no val/ folder: part of train/ is held out as the test split');
      return [];
    }
    throw new DatasetFormatError(
      'missing-file',
      `${root}val/ has no val_annotations.txt, the file that gives each val image its class (val_0.JPEG<TAB>n01443537 per line); copy it from the original tiny-imagenet-200.zip, or remove val/ to hold out part of train/ instead`,
    );
  }
  const out: TinyImage[] = [];
  const seen = new Map<string, number>();
  lines(annotations).forEach((raw, i) => {
    if (!raw.trim()) return;
    const [name, wnid] = raw.trim().split(/\s+/);
    const at = `line ${i + 1}`;
    if (!wnid)
      throw new DatasetFormatError(
        'bad-annotation',
        `${at} ("${raw.trim()}") has no class id; each line is <image><TAB><wnid>, then the box`,
        annotations.name,
      );
    if (seen.has(name))
      throw new DatasetFormatError(
        'bad-annotation',
        `${at} names ${name} again (first on line ${seen.get(name)}); keep one line per image`,
        annotations.name,
      );
    seen.set(name, i + 1);
    const cls = label.get(wnid);
    if (cls === undefined)
      throw new DatasetFormatError(
        'unknown-class',
        `${at} gives ${name} the class ${wnid}, which wnids.txt does not list; correct the line or add ${wnid} to wnids.txt`,
        annotations.name,
      );
    const file = images.get(`val/images/${name}`);
    if (!file)
      throw new DatasetFormatError(
        'missing-file',
        `${at} names ${name}, which is not in val/images/; restore the image or delete the line`,
        annotations.name,
      );
    const mime = imageOf(file);
    if (mime) out.push({ file, mime, label: cls });
  });
  for (const [path, file] of images) {
    if (!seen.has(path.slice('val/images/'.length)))
      throw new DatasetFormatError(
        'bad-annotation',
        `has no line in ${ANNOTATIONS}, so its class is unknown; add a line for it or delete the image`,
        file.name,
      );
  }
  return out.sort((a, b) => byName(a.file.name, b.file.name));
}

/** The image type, null for other files (boxes.txt); an image name over other bytes is refused. */
function imageOf(file: InputFile): string | null {
  const mime = imageMime(file.name, file.bytes);
  if (!mime && isImageName(file.name))
    throw new DatasetFormatError(
      'bad-magic',
      'is named as an image but its bytes are not JPEG, PNG, GIF, WebP or BMP; restore it from the original download or delete it',
      file.name,
    );
  return mime;
}

function namesOf(wnids: string[], words: InputFile | undefined, notes: string[]): string[] {
  if (!words) {
    notes.push('there is no words.txt: classes are named by their WordNet ids');
    return wnids;
  }
  const wanted = new Set(wnids);
  const found = new Map<string, string>();
  for (const raw of lines(words)) {
    const tab = raw.indexOf('\t');
    const id = raw.slice(0, tab).trim();
    if (tab > 0 && wanted.has(id))
      found.set(
        id,
        raw
          .slice(tab + 1)
          .split(',')[0]
          .trim(),
      );
  }
  return wnids.map((w) => (found.get(w) ? `${w} ${found.get(w)}` : w));
}
