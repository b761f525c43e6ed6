// The safetensors file format (huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON header (dtype, shape, data_offsets per
// tensor, optional "__metadata__" of strings) padded with spaces to a multiple of 8,
// then the raw little-endian data. Writes F32, I32 and U8 (datasets); reads F32 (weights).
// Framework-free; knows nothing of models.

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** What encodeSafetensors writes: float32 weights, and int32 / uint8 data (labels, pixels). */
export interface WritableTensor {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

function dtypeOf(data: WritableTensor['data']): 'F32' | 'I32' | 'U8' {
  return data instanceof Float32Array ? 'F32' : data instanceof Int32Array ? 'I32' : 'U8';
}

export interface SafetensorsFile {
  tensors: NamedTensor[];
  metadata: Record<string, string>;
}

const METADATA_KEY = '__metadata__';
// The reference implementation refuses headers above 100 MB; so do we, before parsing.
const MAX_HEADER_BYTES = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function fail(msg: string): never {
  throw new Error(`safetensors: ${msg}`);
}

function numelOf(shape: unknown, where: string): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  return (shape as number[]).reduce((a, b) => a * b, 1);
}

/** Values as little-endian bytes, whatever the host's byte order. */
function toBytes(data: WritableTensor['data']): Uint8Array {
  if (LITTLE_ENDIAN || data instanceof Uint8Array) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else data.forEach((v, i) => view.setInt32(i * 4, v, true));
  return out;
}

function fromBytes(bytes: Uint8Array): Float32Array {
  // A copy into a fresh buffer: keeps NaN payloads bit-exact and needs no alignment.
  const copy = bytes.slice();
  if (LITTLE_ENDIAN) return new Float32Array(copy.buffer, 0, copy.length / 4);
  const view = new DataView(copy.buffer);
  return Float32Array.from({ length: copy.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

export function encodeSafetensors(tensors: readonly WritableTensor[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string') fail(`metadata value of '${k}' must be a string, got ${typeof v}`);
    header[METADATA_KEY] = { ...metadata };
  }
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (!t.name || t.name === METADATA_KEY) fail(`invalid tensor name '${t.name}'`);
    if (seen.has(t.name)) fail(`tensor name '${t.name}' appears twice`);
    seen.add(t.name);
    const n = numelOf(t.shape, t.name);
    if (n !== t.data.length) fail(`${t.name}: shape [${t.shape.join(', ')}] needs ${n} values, got ${t.data.length}`);
    header[t.name] = { dtype: dtypeOf(t.data), shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const t of tensors) {
    out.set(toBytes(t.data), at);
    at += t.data.byteLength;
  }
  return out;
}

interface Entry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(bytes: Uint8Array): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  if (bytes.length < 8) fail(`file is truncated: ${bytes.length} bytes, the header length alone takes 8`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.length) fail(`file is truncated: the header claims ${headerLen} bytes, only ${bytes.length - 8} follow`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail("header must start with '{'");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('header must be a JSON object');
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== 'string') fail(`__metadata__ value of '${k}' must be a string`);
        metadata[k] = v;
      }
      continue;
    }
    if (typeof info !== 'object' || info === null) fail(`${name}: entry must be an object`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (dtype !== 'F32') fail(`${name}: dtype ${JSON.stringify(dtype)} is not supported (only F32)`);
    const count = numelOf(shape, name);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0))
      fail(`${name}: data_offsets must be two non-negative integers`);
    const [begin, end] = offsets as number[];
    if (end < begin || end - begin !== 4 * count) fail(`${name}: data_offsets [${begin}, ${end}] do not hold ${count} float32 values`);
    entries.push({ name, shape: shape as number[], begin, end });
  }
  return { entries, metadata, dataStart: 8 + headerLen };
}

export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const dataLen = bytes.length - dataStart;
  // Like the reference reader: the tensors must tile the data exactly, in some order.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of sorted) {
    if (e.begin !== covered)
      fail(
        e.begin < covered
          ? `${e.name} overlaps another tensor`
          : `a gap precedes ${e.name} (bytes ${covered}..${e.begin} belong to no tensor)`,
      );
    covered = e.end;
  }
  if (covered > dataLen) fail(`file is truncated: the tensors need ${covered} data bytes, ${dataLen} are present`);
  if (covered < dataLen) fail(`${dataLen - covered} trailing data bytes belong to no tensor`);
  const tensors = sorted.map((e) => ({
    name: e.name,
    shape: [...e.shape],
    data: fromBytes(bytes.subarray(dataStart + e.begin, dataStart + e.end)),
  }));
  return { tensors, metadata };
}
