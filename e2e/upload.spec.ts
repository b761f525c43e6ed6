// Uploading a dataset end to end in Chromium: a CIFAR-10 batch made in the test goes in
// through the file picker and through a drop on the page, is parsed in the Worker with
// a progress bar, previewed (samples per class, stats) and trained on; bad files show
// their specific error and leave the chosen dataset alone; uploads survive a reload
// (IndexedDB) and can be deleted. Screenshots are saved as artifacts.
import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { deflateSync } from 'node:zlib';
import { configureTinyNet } from './tinyNet';

/** CIFAR-10 binary records: label byte + R, G, B planes of 32x32. Each class has its
 * own colour and stripe period, plus noise, so thumbnails differ and a net can learn. */
function cifarBatch(records: number, seed: number): Buffer {
  const out = Buffer.alloc(records * 3073);
  let s = seed >>> 0;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) >>> 24;
  for (let i = 0; i < records; i++) {
    const label = i % 10;
    const at = i * 3073;
    out[at] = label;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const stripe = Math.floor((x + (c === 1 ? y : 0)) / (label + 2)) % 2;
          const base = c === label % 3 ? 170 : 40;
          out[at + 1 + c * 1024 + y * 32 + x] = Math.min(255, base + stripe * 60 + (rand() >> 3));
        }
      }
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A real RGB PNG of one colour with a diagonal line, for the browser's own decoder. */
function png(size: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (1 + 3 * size));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rows.set(x === y ? [255, 255, 255] : rgb, y * (1 + 3 * size) + 1 + 3 * x);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface TestFile {
  name: string;
  bytes: Buffer;
}

/** A synthetic drag over the page and a drop, as a user's drag from the desktop does. */
async function dropFiles(page: Page, files: TestFile[], screenshot?: string) {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0))], f.name));
      return dt;
    },
    files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })),
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await expect(page.getByTestId('drop-overlay')).toContainText('Drop dataset files to upload');
  if (screenshot) await page.screenshot({ path: screenshot });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
}

/** Records every upload phase the progress bar shows (they pass quickly). */
async function watchPhases(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { phases: string[] }).phases = seen;
    const note = () => {
      const p = document.querySelector('[data-testid="upload-progress"]')?.getAttribute('data-phase');
      if (p && seen.at(-1) !== p) seen.push(p);
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-phase'],
    });
  });
}
const phasesSeen = (page: Page) => page.evaluate(() => (window as unknown as { phases: string[] }).phases);

const datasetSelect = (page: Page) => page.getByLabel('Dataset', { exact: true });
const summary = (page: Page) => page.getByTestId('dataset-summary');

test('upload by picker and by drop, preview, bad files, train, reload and delete', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(summary(page)).toContainText('classes');

  // 1. The file picker: 200 records, no test file, so 20% of each class is held out.
  await watchPhases(page);
  await page
    .getByTestId('upload-input')
    .setInputFiles({ name: 'data_batch_1.bin', mimeType: 'application/octet-stream', buffer: cifarBatch(200, 1) });
  await expect(summary(page)).toHaveText('32×32×3 · 10 classes · 160 train / 40 test');
  const pickedId = await datasetSelect(page).inputValue();
  expect(pickedId).toMatch(/^[0-9a-f]{64}$/);
  expect(await phasesSeen(page)).toEqual(expect.arrayContaining(['reading', 'parsing', 'storing']));
  await expect(page.getByTestId('upload-progress')).toBeHidden();

  // The dataset view opens by itself: stats, and 8 samples for each of the 10 classes.
  const view = page.getByTestId('dataset-view');
  await expect(view).toHaveAttribute('open', '');
  await expect(page.getByTestId('dataset-split')).toHaveText('160 train / 40 test (20% test)');
  await expect(page.getByTestId('dataset-stats')).toContainText('32×32 px, 3 channels (R, G, B)');
  await expect(page.getByTestId('dataset-stats')).toContainText(/Mean\s*R 0\.\d{3} · G 0\.\d{3} · B 0\.\d{3}/);
  for (let c = 0; c < 10; c++) {
    const row = page.getByTestId(`class-row-${c}`);
    await expect(row).toHaveAttribute('data-samples', '8');
    await expect(row).toHaveAttribute('data-train', '16');
    await expect(row).toHaveAttribute('data-test', '4');
  }
  await expect(page.getByTestId('class-row-0')).toContainText('airplane');
  // The canvases hold drawn pixels, not a blank.
  const painted = await page
    .getByTestId('class-row-3')
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let opaque = 0;
      for (let i = 3; i < d.length; i += 4) opaque += d[i] === 255 ? 1 : 0;
      return opaque / (d.length / 4);
    });
  expect(painted).toBeGreaterThan(0.9);
  await page.locator('.sidebar').screenshot({ path: testInfo.outputPath('1-uploaded-picker.png') });

  // 2. A bad file dropped on the page: its specific error, and the good dataset stays.
  await dropFiles(
    page,
    [{ name: 'data_batch_1.bin', bytes: Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) & 255)) }],
    testInfo.outputPath('2-drop-overlay.png'),
  );
  await expect(page.getByTestId('upload-error')).toContainText(
    'data_batch_1.bin: 5000 bytes is not a whole number of 3073-byte CIFAR-10 records',
  );
  await expect(datasetSelect(page)).toHaveValue(pickedId);
  await expect(summary(page)).toHaveText('32×32×3 · 10 classes · 160 train / 40 test');
  await page.locator('.sidebar').screenshot({ path: testInfo.outputPath('3-bad-file.png') });

  // A zero-byte file through the picker: the same, with its own message.
  await page
    .getByTestId('upload-input')
    .setInputFiles({ name: 'empty.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) });
  await expect(page.getByTestId('upload-error')).toContainText('empty.bin: is empty (0 bytes)');
  await expect(datasetSelect(page)).toHaveValue(pickedId);
  await expect(summary(page)).toHaveText('32×32×3 · 10 classes · 160 train / 40 test');
  await expect(page.getByTestId('stored-dataset')).toHaveCount(1);

  // 3. A good drop: another batch becomes the chosen dataset, and the error goes away.
  await dropFiles(page, [{ name: 'data_batch_2.bin', bytes: cifarBatch(150, 2) }]);
  await expect(summary(page)).toHaveText('32×32×3 · 10 classes · 120 train / 30 test');
  await expect(page.getByTestId('upload-error')).toBeHidden();
  const droppedId = await datasetSelect(page).inputValue();
  expect(droppedId).not.toBe(pickedId);
  await expect(page.getByTestId('stored-dataset')).toHaveCount(2);
  await expect(page.getByTestId('class-row-9')).toHaveAttribute('data-train', '12');

  // 4. Train a tiny ResNet with one scheme on the upload until losses appear.
  for (const label of ['He (Kaiming) normal', 'Fixup', 'SkipInit']) await page.getByLabel(label, { exact: true }).uncheck();
  await expect(page.getByLabel('Risotto', { exact: true })).toBeChecked();
  await configureTinyNet(page, { steps: 30 });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-loss-risotto')).toHaveText(/\d/, { timeout: 150_000 });
  await page.screenshot({ path: testInfo.outputPath('4-training-on-upload.png'), fullPage: true });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', /stopped|finished/, { timeout: 60_000 });

  // 5. After a reload both uploads are still listed (IndexedDB) and load from storage.
  await page.reload();
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('stored-dataset')).toHaveCount(2);
  await datasetSelect(page).selectOption(pickedId);
  await expect(summary(page)).toHaveText('32×32×3 · 10 classes · 160 train / 40 test');

  // Deleting the chosen upload (after a confirm) drops it and falls back to a built-in.
  page.once('dialog', (d) => void d.accept());
  await page.locator(`[data-testid="stored-dataset"][data-id="${pickedId}"]`).getByRole('button').click();
  await expect(page.getByTestId('stored-dataset')).toHaveCount(1);
  await expect(datasetSelect(page).locator(`option[value="${pickedId}"]`)).toHaveCount(0);
  await expect(datasetSelect(page)).not.toHaveValue(pickedId);
  await expect(summary(page)).toContainText('classes');
  await page.locator('.sidebar').screenshot({ path: testInfo.outputPath('5-after-reload-delete.png') });

  // And the deletion itself survives a reload.
  await page.reload();
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('stored-dataset')).toHaveCount(1);
  await expect(page.locator(`[data-testid="stored-dataset"][data-id="${droppedId}"]`)).toBeVisible();
  expect(errors).toEqual([]);
});

test('a zip of class folders of PNGs decodes in the Worker; mixed sizes need a resize', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 6; i++) {
    files[`pets/cats/${i}.png`] = png(16, [200, 40 + 20 * i, 30]);
    files[`pets/dogs/${i}.png`] = png(i === 5 ? 20 : 16, [30, 60, 180 + 10 * i]);
  }
  const zip = { name: 'pets.zip', bytes: Buffer.from(zipSync(files)) };
  const before = await datasetSelect(page).inputValue();

  await dropFiles(page, [zip]);
  await expect(page.getByTestId('upload-error')).toContainText(/is (20x20|16x16) but .* is (16x16|20x20); choose an image size/);
  await expect(datasetSelect(page)).toHaveValue(before);
  await page.getByRole('button', { name: 'Dismiss the upload error' }).click();
  await expect(page.getByTestId('upload-error')).toBeHidden();

  await page.getByTestId('upload-options').locator('summary').click();
  await page.getByLabel('Resize folder images').selectOption('32');
  await dropFiles(page, [zip]);
  await expect(summary(page)).toHaveText(/^32×32×3 · 2 classes · \d+ train \/ \d+ test$/);
  await expect(page.getByTestId('class-row-0')).toContainText('cats');
  await expect(page.getByTestId('class-row-1')).toContainText('dogs');
  // The decoded colours arrive: the cats' thumbnails are red, the dogs' blue.
  const meanColour = (row: number) =>
    page
      .getByTestId(`class-row-${row}`)
      .locator('canvas')
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, 32, 32).data;
        const sum = [0, 0, 0];
        for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) sum[k] += d[i + k];
        return sum.map((v) => v / (d.length / 4));
      });
  const [cat, dog] = [await meanColour(0), await meanColour(1)];
  expect(cat[0]).toBeGreaterThan(cat[2] + 80);
  expect(dog[2]).toBeGreaterThan(dog[0] + 80);
  await page.locator('.sidebar').screenshot({ path: testInfo.outputPath('6-image-folder.png') });

  // Each test has its own browser context, so this store started empty.
  await expect(page.getByTestId('stored-dataset')).toHaveCount(1);
  expect(errors).toEqual([]);
});
