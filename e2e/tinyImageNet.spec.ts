// Tiny ImageNet as downloaded: a small fake tiny-imagenet-200.zip (real JPEGs, decoded by
// Chromium in the Worker) dropped on the page becomes one dataset with its own split
// (val/ = test) and words.txt's class names, is stored, and trains two steps; broken trees
// are refused with their specific error and change nothing, before or after it is stored.
import { expect, test, type Page } from '@playwright/test';
import { editTree, FAKE_COLOURS, fakeTinyImageNet, zipFiles } from '../src/data/formats/tinyImageNetFixture';
import { configureTinyNet } from './tinyNet';

const tree = fakeTinyImageNet({ trainPerClass: 6, valPerClass: 3, testImages: 3, side: 64 });
const summary = (page: Page) => page.getByTestId('dataset-summary');
const datasetSelect = (page: Page) => page.getByLabel('Dataset', { exact: true });

async function drop(page: Page, name: string, bytes: Uint8Array) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, b64 }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
      return dt;
    },
    { name, b64: Buffer.from(bytes).toString('base64') },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
}

/** The first thumbnail's mean colour in a class row's canvas. */
const firstSampleColour = (page: Page, row: number) =>
  page
    .getByTestId(`class-row-${row}`)
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) => {
      const side = c.height;
      const d = c.getContext('2d')!.getImageData(0, 0, side, side).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) sum[k] += d[i + k];
      return sum.map((s) => s / (d.length / 4));
    });

test('Tiny ImageNet: drop the zip, see its classes and split, store it, train; broken trees change nothing', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(summary(page)).toContainText('classes');
  const builtin = await datasetSelect(page).inputValue();

  // A tree without val_annotations.txt: refused, saying what is missing, nothing stored.
  await drop(page, 'tiny-imagenet-200.zip', zipFiles(editTree(tree, { 'val/val_annotations.txt': null })));
  await expect(page.getByTestId('upload-error')).toContainText(
    'tiny-imagenet-200/val/ has no val_annotations.txt, the file that gives each val image its class',
  );
  await expect(datasetSelect(page)).toHaveValue(builtin);
  await expect(page.getByTestId('stored-dataset')).toHaveCount(0);

  // The good tree: one dataset, 6 train / 3 val images for each of 3 classes (a batch of 8 fits both).
  await drop(page, 'tiny-imagenet-200.zip', zipFiles(tree.files));
  await expect(summary(page)).toHaveText('64×64×3 · 3 classes · 18 train / 9 test', { timeout: 120_000 });
  await expect(page.getByTestId('upload-error')).toHaveCount(0);
  await expect(page.getByTestId('upload-notes')).toContainText(
    'test/ holds 3 unlabelled image(s) (Tiny ImageNet publishes no test labels); they were left out, and val/ is the test split',
  );
  await expect(datasetSelect(page).locator('optgroup[label="Uploaded"] option')).toHaveText(['tiny-imagenet-200 · Tiny ImageNet']);
  const tinyId = await datasetSelect(page).inputValue();
  expect(tinyId).not.toBe(builtin);
  await expect(page.getByTestId('dataset-view')).toHaveAttribute('open', '');
  await expect(page.getByTestId('dataset-split')).toHaveText('18 train / 9 test (33% test)');
  const names = ['n01443537 goldfish', 'n01641577 bullfrog', 'n02123045 tabby'];
  for (const [c, name] of names.entries()) {
    const row = page.getByTestId(`class-row-${c}`);
    await expect(row).toContainText(name);
    await expect(row).toHaveAttribute('data-train', '6');
    await expect(row).toHaveAttribute('data-test', '3');
  }
  // Chromium decoded the JPEGs to their class colours (the goldfish's first image is the grey one).
  for (const [c, wnid] of ['n01641577', 'n02123045'].entries()) {
    const colour = await firstSampleColour(page, c + 1);
    colour.forEach((v, k) => expect(Math.abs(v - FAKE_COLOURS[wnid][k]), `${wnid} channel ${k}`).toBeLessThan(6));
  }
  await expect(page.getByTestId('stored-dataset')).toHaveCount(1);

  // Two steps of a tiny net on it.
  await configureTinyNet(page, { steps: 2 });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'finished', { timeout: 180_000 });
  await expect(page.getByTestId('run-status-risotto')).toHaveText(/finished/);

  // A tree with a class whose images are gone: refused, the stored and chosen dataset stay.
  const noBullfrog = editTree(
    tree,
    Object.fromEntries([0, 1, 2, 3, 4, 5].map((k) => [`train/n01641577/images/n01641577_${k}.JPEG`, null])),
  );
  await drop(page, 'tiny-imagenet-200.zip', zipFiles(noBullfrog));
  await expect(page.getByTestId('upload-error')).toContainText(
    'tiny-imagenet-200.zip (tiny-imagenet-200/wnids.txt): wnids.txt lists n01641577 but train/n01641577/images/ holds no images',
  );
  await expect(datasetSelect(page)).toHaveValue(tinyId);
  await expect(summary(page)).toHaveText('64×64×3 · 3 classes · 18 train / 9 test');
  await expect(page.getByTestId('stored-dataset')).toHaveCount(1);
  expect(errors).toEqual([]);
});
