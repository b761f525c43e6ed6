// What the upload panel does with files that are damaged, degenerate or ambiguous, and
// with the user's names: an archive whose bytes changed is named as dropped and changes
// nothing; empty declared classes are said and can be dropped; uploads get distinct,
// editable names; CSV shape and the test split are set in the panel.
import { expect, test, type Page } from '@playwright/test';
import { gzipSync } from 'fflate';
import { createTar } from 'nanotar';

const summary = (page: Page) => page.getByTestId('dataset-summary');
const datasetSelect = (page: Page) => page.getByLabel('Dataset', { exact: true });
const pick = (page: Page, name: string, bytes: Uint8Array) =>
  page.getByTestId('upload-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });

/** CIFAR-10 records with the given labels; pixels vary by record. */
function cifar(labels: number[]): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((l, i) => {
    out[i * 3073] = l;
    for (let j = 0; j < 3072; j++) out[i * 3073 + 1 + j] = (i * 13 + j * 7) & 255;
  });
  return out;
}

async function open(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(summary(page)).toContainText('classes');
}

test('a damaged or cut-off archive is refused under the name the user dropped, and nothing changes', async ({ page }) => {
  await open(page);
  const before = await datasetSelect(page).inputValue();
  const csv = new TextEncoder().encode(Array.from({ length: 40 }, (_, i) => `${i % 2},${i},0,0,${i}`).join('\n'));
  const damaged = gzipSync(csv, { level: 0 });
  damaged[60] ^= 1;
  await pick(page, 'digits.csv.gz', damaged);
  await expect(page.getByTestId('upload-error')).toContainText(
    'digits.csv.gz: the gzip data fails its CRC-32 check: the file is damaged (its length is intact, its bytes are not); re-download it',
  );
  // A .tar.gz whose tar is cut off inside its one entry: named as dropped, not as the inner .tar.
  const tar = createTar([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: cifar([0, 1]) }]);
  await pick(page, 'cifar-10-binary.tar.gz', gzipSync(tar.subarray(0, 2048)));
  await expect(page.getByTestId('upload-error')).toContainText(
    /^Upload failed: cifar-10-binary\.tar\.gz: a tar entry runs past the end of the file; the archive is probably cut off/,
  );
  await expect(page.getByTestId('upload-error')).not.toContainText('cifar-10-binary.tar:');
  await expect(datasetSelect(page)).toHaveValue(before);
  await expect(page.getByTestId('stored-dataset')).toHaveCount(0);
});

test('empty declared classes are counted, and dropping them stores a copy', async ({ page }) => {
  await open(page);
  await pick(page, 'data_batch_1.bin', cifar(Array.from({ length: 40 }, (_, i) => (i % 2) * 3)));
  await expect(summary(page)).toHaveText('32×32×3 · 10 classes, 8 empty · 32 train / 8 test');
  await expect(page.getByTestId('empty-classes')).toContainText('8 of the 10 declared classes hold no example');
  await expect(page.getByTestId('class-row-5')).toContainText('empty class');
  const original = await datasetSelect(page).inputValue();
  await page.getByTestId('drop-empty-classes').click();
  await expect(summary(page)).toHaveText('32×32×3 · 2 classes · 32 train / 8 test');
  await expect(page.getByTestId('empty-classes')).toHaveCount(0);
  await expect(datasetSelect(page)).not.toHaveValue(original);
  await expect(page.getByTestId('stored-dataset')).toHaveCount(2);
  // A batch where every record has one label is refused outright.
  await pick(page, 'data_batch_2.bin', cifar(new Array(20).fill(4)));
  await expect(page.getByTestId('upload-error')).toContainText(
    'data_batch_2.bin: all 20 examples carry label deer (class 4 of 10); a classifier needs at least two classes with examples',
  );
  await expect(page.getByTestId('stored-dataset')).toHaveCount(2);
});

test('uploads get distinct names the user can edit, kept across a reload', async ({ page }) => {
  await open(page);
  await pick(page, 'data_batch_1.bin', cifar(Array.from({ length: 30 }, (_, i) => i % 10)));
  await expect(summary(page)).toContainText('20 train');
  await pick(page, 'data_batch_1.bin', cifar(Array.from({ length: 30 }, (_, i) => (i + 1) % 10)));
  await expect(page.getByTestId('stored-dataset')).toHaveCount(2);
  const options = datasetSelect(page).locator('optgroup[label="Uploaded"] option');
  await expect(options).toHaveText(['data_batch_1 · CIFAR-10 (2)', 'data_batch_1 · CIFAR-10']);
  const second = await datasetSelect(page).inputValue();
  const nameField = page.locator(`[data-testid="stored-dataset"][data-id="${second}"] input.stored-name`);
  await nameField.fill('shifted labels');
  await nameField.press('Enter');
  await expect(options.first()).toHaveText('shifted labels');
  // Another upload's name is refused with a reason, and the field shows the name kept.
  await nameField.fill('data_batch_1 · CIFAR-10');
  await nameField.press('Enter');
  await expect(page.getByTestId('stored-error')).toContainText('another stored upload is already named "data_batch_1 · CIFAR-10"');
  await expect(nameField).toHaveValue('shifted labels');
  await page.reload();
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(datasetSelect(page).locator('optgroup[label="Uploaded"] option').first()).toHaveText('shifted labels');
});

test('CSV image shape and the test split are set in the upload panel', async ({ page }) => {
  await open(page);
  const rows = Array.from({ length: 50 }, (_, i) => `${i % 2},${[1, 2, 3, 4, 5, 6].map((k) => (i * k) & 255).join(',')}`).join('\n');
  const csv = new TextEncoder().encode(`${rows}\n`);
  await pick(page, 'wide.csv', csv);
  await expect(page.getByTestId('upload-error')).toContainText(
    'wide.csv: rows have 6 pixel values, which is neither s*s (a grey square) nor 3*s*s (an RGB square); give the channels, height and width (the CSV shape in the upload options, or --csv-shape with --data on the command line)',
  );
  await page.getByTestId('upload-options').locator('summary').click();
  await page.getByLabel('CSV height').fill('2');
  await pick(page, 'wide.csv', csv);
  await expect(page.getByTestId('upload-error')).toContainText('CSV shape: give both height and width');
  await page.getByLabel('CSV width').fill('3');
  await page.getByLabel('Test split').selectOption('40');
  await pick(page, 'wide.csv', csv);
  await expect(summary(page)).toHaveText('2×3×1 · 2 classes · 30 train / 20 test');
  await expect(page.getByTestId('dataset-split')).toHaveText('30 train / 20 test (40% test)');
  // The same file with another split is another dataset beside it, named for how it was read.
  await page.getByLabel('Test split').selectOption('20');
  await pick(page, 'wide.csv', csv);
  await expect(summary(page)).toHaveText('2×3×1 · 2 classes · 40 train / 10 test');
  await expect(datasetSelect(page).locator('optgroup[label="Uploaded"] option')).toHaveText([
    'wide · CSV, 1×2×3',
    'wide · CSV, 1×2×3, 40% test',
  ]);
});
