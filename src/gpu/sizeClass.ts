// Size classes for the buffer pool: 256-byte granularity, then quarter-octave steps
// (2^k * {1, 1.25, 1.5, 1.75}) so a reused buffer wastes at most ~25%.

const MIN_BUFFER_BYTES = 256;

export function sizeClass(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`invalid buffer size ${bytes}`);
  if (bytes <= MIN_BUFFER_BYTES) return MIN_BUFFER_BYTES;
  const octave = 2 ** Math.floor(Math.log2(bytes));
  const step = octave / 4;
  const rounded = Math.ceil(bytes / step) * step;
  // Keep every class a multiple of 256 so offsets and copies stay aligned.
  return Math.ceil(rounded / 256) * 256;
}
