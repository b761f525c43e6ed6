// Big typed arrays out of one IndexedDB value: Chromium refuses any single value over
// ~127 MiB, which a checkpoint of a wide net (weights + optimizer state of every run)
// can pass. `split` replaces every typed array of at least `minBytes` in a structured-
// clonable value by a small reference and returns its bytes as chunks of at most
// `chunkBytes`; `join` puts them back. Pure; the stores (datasets, checkpoints) decide
// where the chunks live.

const MARK = '__risottoStoredPart';

/** What the stores use: arrays from 16 KiB out of the value, in chunks of 32 MiB (far
 * below Chromium's per-value limit of 133,169,152 bytes, and cheap to copy). */
export const STORE_PARTS = { minBytes: 16 << 10, chunkBytes: 32 << 20 } as const;

type Typed = Float32Array | Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
const CTORS = { Float32Array, Float64Array, Int32Array, Uint32Array, Uint16Array, Uint8Array } as const;
type TypedName = keyof typeof CTORS;

interface PartRef {
  [MARK]: true;
  type: TypedName;
  length: number;
  /** Index of the first chunk and how many. */
  first: number;
  count: number;
}

function typedName(v: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(v)) return undefined;
  return (Object.keys(CTORS) as TypedName[]).find((n) => v instanceof CTORS[n]);
}

const isRef = (v: unknown): v is PartRef => typeof v === 'object' && v !== null && (v as Record<string, unknown>)[MARK] === true;

export function splitParts<T>(value: T, opts: { minBytes: number; chunkBytes: number }): { skeleton: T; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  const walk = (v: unknown): unknown => {
    const type = typedName(v);
    if (type) {
      const a = v as Typed;
      // Inline arrays own exactly their bytes: structured clone would store a view's whole buffer.
      if (a.byteLength < opts.minBytes) return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      const first = chunks.length;
      for (let at = 0; at < bytes.length; at += opts.chunkBytes) chunks.push(bytes.slice(at, at + opts.chunkBytes));
      const ref: PartRef = { [MARK]: true, type, length: a.length, first, count: chunks.length - first };
      return ref;
    }
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, walk(x)]));
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { skeleton: walk(value) as T, chunks };
}

export function joinParts<T>(skeleton: T, chunks: readonly Uint8Array[]): T {
  const walk = (v: unknown): unknown => {
    if (isRef(v)) {
      const Ctor = CTORS[v.type];
      const bytes = new Uint8Array(v.length * Ctor.BYTES_PER_ELEMENT);
      let at = 0;
      for (let k = v.first; k < v.first + v.count; k++) {
        const c = chunks[k];
        if (!c) throw new Error(`stored part ${k} is missing`);
        bytes.set(c, at);
        at += c.length;
      }
      if (at !== bytes.length) throw new Error(`stored parts hold ${at} bytes, ${bytes.length} expected`);
      return new Ctor(bytes.buffer);
    }
    if (ArrayBuffer.isView(v)) return v;
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, walk(x)]));
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(skeleton) as T;
}

/** The IndexedDB key of chunk k of the entry `id`, and the range of all its chunks. */
export const partKey = (id: string, k: number) => `${id}/${String(k).padStart(6, '0')}`;
export const partRange = (id: string) => IDBKeyRange.bound(`${id}/`, `${id}/\uffff`);
