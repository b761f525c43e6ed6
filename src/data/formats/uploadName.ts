// The name an upload gets by default: the archive's or the dropped folder's name (no
// extensions), else the first file's, then the format, e.g. "cifar-10-binary · CIFAR-10".
// The user can rename it; making names unique among stored uploads is the lab's.

import type { InputFile } from './common';

const ARCHIVE_EXT = /(\.(tar\.gz|tgz|tar|zip|gz))$/i;
const MAX_NAME = 80;

/** A path's last segment without archive and data extensions. */
export function stemOf(path: string): string {
  const base = path.split(/[\\/]/).filter(Boolean).pop() ?? path;
  return base.replace(ARCHIVE_EXT, '').replace(/\.(bin|csv|tsv|idx\d-ubyte)$/i, '') || base;
}

/** `reading`: the options that shaped it ("40% test"), said after the format. */
export function defaultUploadName(files: Pick<InputFile, 'name'>[], format: string, reading: string[] = []): string {
  const folders = new Set(files.map((f) => (f.name.includes('/') ? f.name.split('/')[0] : '')));
  const folder = folders.size === 1 ? [...folders][0] : '';
  const archive = files.length === 1 && ARCHIVE_EXT.test(files[0].name);
  let what: string;
  if (folder) what = folder;
  else if (archive || files.length === 1) what = stemOf(files[0].name);
  else what = `${stemOf(files[0].name)} and ${files.length - 1} more`;
  const name = `${what} · ${format}${reading.length ? `, ${reading.join(', ')}` : ''}`;
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}
