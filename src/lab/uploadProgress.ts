// Progress of one dataset upload as one bar: the phases (reading on the page, then
// unpacking/parsing and storing in the Worker) and the share of the bar each fills.
// Import-free, so the page can use it without pulling the parsers into its bundle.

/** 'decompressing' covers unpacking and parsing together when the upload has archives;
 * 'decoding' is a long image decode that counts its images (Tiny ImageNet). */
export type UploadPhase = 'reading' | 'decompressing' | 'parsing' | 'decoding' | 'storing' | 'done';

export interface UploadProgress {
  phase: UploadPhase;
  /** Of the whole upload, 0..1. */
  fraction: number;
  /** Within the phase, when known; absent while a phase cannot measure itself. */
  phaseFraction?: number;
}

// Parsing dominates for real uploads; reading a local file is quick.
const SPANS: Record<UploadPhase, [number, number]> = {
  reading: [0, 0.25],
  decompressing: [0.25, 0.85],
  parsing: [0.25, 0.85],
  decoding: [0.3, 0.85],
  storing: [0.85, 1],
  done: [1, 1],
};

export function uploadProgress(phase: UploadPhase, phaseFraction?: number): UploadProgress {
  const [a, b] = SPANS[phase];
  if (phaseFraction === undefined) return { phase, fraction: a };
  const within = Math.min(1, Math.max(0, phaseFraction));
  // A finished phase ends exactly where the next begins (0.3 + 0.55 is not 0.85 in floats).
  return { phase, fraction: within === 1 ? b : a + (b - a) * within, phaseFraction: within };
}
