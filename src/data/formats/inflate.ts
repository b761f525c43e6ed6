// Decompression under a budget, so a zip bomb fails fast instead of filling memory:
// gzip is inflated in small streaming steps and stops as soon as the running total
// passes the limit; zip entries are checked by their declared sizes before any
// inflating (archive.ts). Not an archive walker.

import { Gunzip } from 'fflate';
import { crc32 } from '../../util';
import { DatasetFormatError } from './errors';

export interface ExpansionLimits {
  /** Most bytes all archives of one upload may expand to, together. */
  maxExpandedBytes: number;
  /** Most output bytes per input byte of one compressed stream... */
  maxRatio: number;
  /** ...once that stream's output passes this many bytes (small, very compressible files stay legal). */
  ratioFloorBytes: number;
}

export const DEFAULT_EXPANSION_LIMITS: ExpansionLimits = {
  maxExpandedBytes: 1024 ** 3,
  // Real datasets compress 1x (PNG, CIFAR) to ~10x (IDX, CSV); deflate tops out near 1032x.
  maxRatio: 200,
  ratioFloorBytes: 16 * 1024 ** 2,
};

/** Shared across one upload: every archive draws from the same total. */
export class ExpansionBudget {
  used = 0;

  constructor(readonly limits: ExpansionLimits = DEFAULT_EXPANSION_LIMITS) {
    for (const key of ['maxExpandedBytes', 'maxRatio', 'ratioFloorBytes'] as const) {
      const v = limits[key];
      if (!(typeof v === 'number' && v > 0)) throw new Error(`ExpansionBudget: limits.${key} must be a positive number, got ${String(v)}`);
    }
  }

  /** Throws 'archive-too-large' when `outBytes` from `inBytes` breaks either limit. */
  check(file: string, inBytes: number, outBytes: number, extra = 0): void {
    const { maxExpandedBytes, maxRatio, ratioFloorBytes } = this.limits;
    if (this.used + extra + outBytes > maxExpandedBytes) {
      throw new DatasetFormatError(
        'archive-too-large',
        `expands past the limit of ${formatBytes(maxExpandedBytes)} for one upload; unpack it and upload only the files the dataset needs, or raise the expansion limit`,
        file,
      );
    }
    if (outBytes > ratioFloorBytes && outBytes > maxRatio * Math.max(1, inBytes)) {
      throw new DatasetFormatError(
        'archive-too-large',
        `expands more than ${maxRatio}x (${formatBytes(inBytes)} to over ${formatBytes(outBytes)}), which real image data never does; this looks like a zip bomb, so it was not unpacked`,
        file,
      );
    }
  }

  take(bytes: number): void {
    this.used += bytes;
  }
}

export function formatBytes(bytes: number): string {
  return bytes < 1024 ** 2 ? `${bytes} bytes` : `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const STEP = 16 * 1024;

const readU32 = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** The error for data whose checksum disagrees: the bytes changed after they were packed. */
export function checksumError(file: string, what: string): DatasetFormatError {
  return new DatasetFormatError(
    'checksum',
    `${what} fails its CRC-32 check: the file is damaged (its length is intact, its bytes are not); re-download it`,
    file,
  );
}

/** Gunzips (multi-member too) within the budget, checking each member's CRC-32 and size;
 * throws 'archive-too-large', 'corrupt', 'truncated' or 'checksum'. */
export function gunzipLimited(file: string, bytes: Uint8Array, budget: ExpansionBudget): Uint8Array {
  if (!isGzip(bytes))
    throw new DatasetFormatError(
      'bad-magic',
      'is named as gzip but does not start with the gzip magic bytes 1f 8b; upload the original .gz file',
      file,
    );
  // The trailer's size (mod 2^32) is only a hint for the first allocation; the running count is the guard.
  const n = bytes.length;
  const hint = n >= 18 ? readU32(bytes, n - 4) : 0;
  const { maxExpandedBytes, maxRatio, ratioFloorBytes } = budget.limits;
  const hintOk = hint > 0 && hint <= maxExpandedBytes - budget.used && !(hint > ratioFloorBytes && hint > maxRatio * n);
  let out = new Uint8Array(hintOk ? hint : 1024 ** 2);
  let size = 0;
  let consumed = 0;
  const stream = new Gunzip((chunk) => {
    budget.check(file, consumed, size + chunk.length);
    if (size + chunk.length > out.length) {
      const grown = new Uint8Array(Math.max(out.length * 2, size + chunk.length));
      grown.set(out.subarray(0, size));
      out = grown;
    }
    out.set(chunk, size);
    size += chunk.length;
  });
  // Streaming inflate does not notice a stream that just stops, so each member's trailer
  // size (ISIZE) is compared with what it produced: a cut-off file fails that check.
  const members: { start: number; outAt: number }[] = [{ start: 0, outAt: 0 }];
  stream.onmember = (start) => members.push({ start, outAt: size });
  try {
    for (let at = 0; at < n; at += STEP) {
      consumed = Math.min(n, at + STEP);
      stream.push(bytes.subarray(at, consumed), consumed === n);
    }
    members.forEach((m, i) => {
      const end = i + 1 < members.length ? members[i + 1].start : n;
      const outEnd = i + 1 < members.length ? members[i + 1].outAt : size;
      if (end - m.start < 18 || readU32(bytes, end - 4) !== (outEnd - m.outAt) >>> 0) throw new Error('unexpected EOF');
      if (readU32(bytes, end - 8) !== crc32(out.subarray(m.outAt, outEnd))) {
        throw checksumError(file, members.length > 1 ? `gzip member ${i + 1} of ${members.length}` : 'the gzip data');
      }
    });
  } catch (e) {
    if (e instanceof DatasetFormatError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (/unexpected EOF/i.test(message)) {
      throw new DatasetFormatError('truncated', 'the gzip data ends early; the download is probably cut off, download it again', file);
    }
    throw new DatasetFormatError('corrupt', `the gzip data is damaged (${message}); download it again`, file);
  }
  if (size === 0) throw new DatasetFormatError('empty', 'the gzip file decompresses to nothing', file);
  budget.take(size);
  return out.length === size ? out : out.slice(0, size);
}
