// How a Web Worker reads files shipped under public/ (built-in datasets): fetched from
// the site root, Vite's base URL. Shared by the lab Worker and the export Worker.

export async function readAsset(path: string): Promise<Uint8Array> {
  const res = await fetch(new URL(`${import.meta.env.BASE_URL}${path}`, self.location.origin));
  if (!res.ok) throw new Error(`could not load ${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
