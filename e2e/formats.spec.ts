// Every upload format by drag and drop onto the page: MNIST-style IDX (gzipped images +
// labels pair), a labelled CSV, and the CIFAR-10 .tar.gz layout. Files are generated
// here; each drop must become the selected dataset with the right summary.
import { expect, test, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { createTar } from 'nanotar';

interface TestFile {
  name: string;
  bytes: Buffer;
}

function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

function digits(n: number, size: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * size * size);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10;
    for (let p = 0; p < size * size; p++) images[i * size * size + p] = (p * (labels[i] + 1) * 7) % 256;
  }
  return { images, labels };
}

function cifarRecords(n: number): Buffer {
  const out = Buffer.alloc(n * 3073);
  for (let i = 0; i < n; i++) {
    out[i * 3073] = i % 10;
    for (let p = 0; p < 3072; p++) out[i * 3073 + 1 + p] = (p + 13 * (i % 10)) % 256;
  }
  return out;
}

async function drop(page: Page, files: TestFile[]) {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
      return dt;
    },
    files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })),
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByTestId('upload-progress')).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId('upload-error')).toBeHidden();
}

test('IDX (gzipped pair), CSV and CIFAR .tar.gz upload by drag and drop', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  const summary = page.getByTestId('dataset-summary');

  const { images, labels } = digits(60, 8);
  await drop(page, [
    { name: 'train-images-idx3-ubyte.gz', bytes: gzipSync(idx(0x803, [60, 8, 8], images)) },
    { name: 'train-labels-idx1-ubyte.gz', bytes: gzipSync(idx(0x801, [60], labels)) },
  ]);
  await expect(summary).toHaveText(/^8×8×1 · 10 classes · \d+ train \/ \d+ test$/, { timeout: 60_000 });

  const rows = Array.from({ length: 40 }, (_, i) =>
    [i % 4, ...Array.from({ length: 36 }, (_, p) => (p * ((i % 4) + 1) * 11) % 256)].join(','),
  );
  await drop(page, [{ name: 'pixels.csv', bytes: Buffer.from(rows.join('\n')) }]);
  await expect(summary).toHaveText(/^6×6×1 · 4 classes · \d+ train \/ \d+ test$/, { timeout: 60_000 });

  const tar = createTar([
    { name: 'cifar-10-batches-bin/data_batch_1.bin', data: new Uint8Array(cifarRecords(50)) },
    { name: 'cifar-10-batches-bin/test_batch.bin', data: new Uint8Array(cifarRecords(20)) },
  ]);
  await drop(page, [{ name: 'cifar-10-binary.tar.gz', bytes: gzipSync(Buffer.from(tar)) }]);
  await expect(summary).toHaveText('32×32×3 · 10 classes · 50 train / 20 test', { timeout: 60_000 });
  await expect(page.getByTestId('stored-dataset')).toHaveCount(3);
  expect(errors).toEqual([]);
});
