// What the user dropped or picked, as named blobs (folders walked, paths kept so class
// folders stay class folders), and reading them into bytes with progress. The bytes
// are handed to the Worker right after, so the page holds each file once, briefly.

export interface NamedBlob {
  /** Path for files from a dropped folder ("pets/cats/1.png"), else the file name. */
  name: string;
  blob: Blob;
}

/** Files of a drop; folders (where the browser exposes them) are walked recursively. */
export async function filesFromDrop(dt: DataTransfer): Promise<NamedBlob[]> {
  const entries = Array.from(dt.items ?? [])
    .filter((i) => i.kind === 'file')
    .map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null));
  // Script-built DataTransfers and some browsers give no entries: the plain list will do.
  if (entries.length === 0 || entries.some((e) => e === null)) return Array.from(dt.files, (f) => ({ name: f.name, blob: f }));
  const out: NamedBlob[] = [];
  for (const e of entries) await walk(e as FileSystemEntry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: NamedBlob[]): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ name: path, blob: file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call; an empty batch means done.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}

/** Reads every blob into its own buffer, reporting the share of all bytes read so far. */
export async function readAll(
  files: NamedBlob[],
  onFraction: (f: number) => void,
): Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }[]> {
  const total = files.reduce((n, f) => n + f.blob.size, 0);
  let done = 0;
  let reported = -1;
  const out: { name: string; bytes: Uint8Array<ArrayBuffer> }[] = [];
  for (const f of files) {
    out.push({
      name: f.name,
      bytes: await readOne(f, (n) => {
        done += n;
        const frac = total ? done / total : 1;
        // One update per percent keeps React out of the way of large files.
        if (Math.floor(frac * 100) !== reported) {
          onFraction(frac);
          reported = Math.floor(frac * 100);
        }
      }),
    });
  }
  return out;
}

async function readOne(f: NamedBlob, onBytes: (n: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(f.blob.size);
  let at = 0;
  try {
    const reader = f.blob.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > out.length) throw new Error('it grew while being read');
      out.set(value, at);
      at += value.length;
      onBytes(value.length);
    }
  } catch (e) {
    throw new Error(`${f.name}: could not be read (${e instanceof Error ? e.message : String(e)}); choose it again`);
  }
  if (at !== out.length) throw new Error(`${f.name}: changed while being read (${at} of ${out.length} bytes); choose it again`);
  return out;
}
