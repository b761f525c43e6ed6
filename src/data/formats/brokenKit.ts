// Test-only: what every entry of the broken-uploads corpus is (one fault, its error code
// and the words it must get) and the small builders the corpus files share. The corpus is
// brokenArchives.ts (archives and whole uploads) and brokenFiles.ts (each format).

import type { InputFile } from './common';
import type { DatasetFormatErrorCode } from './errors';
import type { ExpansionLimits } from './inflate';
import { fakePng, utf8 } from './testFixtures';

export interface BrokenUpload {
  fault: string;
  files: () => InputFile[];
  opts?: {
    maxBytes?: number;
    limits?: Partial<ExpansionLimits>;
    csv?: { channels?: 1 | 3; height?: number; width?: number };
    images?: { size?: number };
  };
  code: DatasetFormatErrorCode;
  message: RegExp;
}

export const MiB = 1024 ** 2;
export const f = (name: string, bytes: Uint8Array): InputFile => ({ name, bytes });
export const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const out = bytes.slice();
  out[at] ^= 1;
  return out;
};
export const csvRows = (n: number, classes: number, pixels = 4) =>
  Array.from({ length: n }, (_, i) => [i % classes, ...Array.from({ length: pixels }, (_, k) => (i * (k + 1)) & 255)].join(',')).join('\n');
export const goodCsv = () => utf8(csvRows(40, 2));
export const labels = (n: number, classes: number) => Array.from({ length: n }, (_, i) => i % classes);
export const png = (rgb: [number, number, number], side = 2) => fakePng(side, side, rgb);
