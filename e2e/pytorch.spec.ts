// PyTorch round trip without training: "Export to PyTorch" before any run downloads a
// zip holding the package for the page's experiment (scripts, config, every scheme's
// initial weights); a metrics CSV in the lab's format imports as external runs in the
// runs table and the charts, a bad CSV says why and changes nothing, and imported runs
// come back after a reload.
import { unzipSync } from 'fflate';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

const HEADER = 'run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc';
const METRICS = [
  HEADER,
  'risotto,risotto,finished,1,0,0.05,2.30,0.10,1.5,,',
  'risotto,risotto,finished,2,0,0.05,2.10,0.20,1.4,,',
  'risotto,risotto,finished,3,0,0.05,1.90,0.30,1.3,2.00,0.25',
  'he,he,finished,1,0,0.05,2.40,0.10,3.5,,',
  'he,he,finished,2,0,0.05,2.35,0.10,3.1,,',
  'he,he,finished,3,0,0.05,2.33,0.12,2.9,2.31,0.11',
].join('\n');

test('export to PyTorch, import its metrics back as external runs', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Seed', { exact: true }).fill('77');
  await page.getByLabel('Steps', { exact: true }).fill('3');
  await page.getByLabel('Warmup').fill('0');

  // (a) The package, before any run: the initial weights come from the config.
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: 'Export to PyTorch' }).click(),
  ]);
  await expect(page.getByTestId('pytorch-busy')).toBeHidden({ timeout: 60_000 });
  expect(download.suggestedFilename()).toMatch(/^risotto-lab-pytorch-[\d-]+\.zip$/);
  const zipPath = testInfo.outputPath('package.zip');
  await download.saveAs(zipPath);
  const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
  const names = Object.keys(files);
  for (const f of ['model.py', 'init.py', 'train.py', 'README.md', 'config.json', 'data/dataset.safetensors'])
    expect(names).toContain(`risotto-lab-pytorch/${f}`);
  const config = JSON.parse(new TextDecoder().decode(files['risotto-lab-pytorch/config.json']));
  expect(config.experiment.seed).toBe(77);
  expect(config.experiment.steps).toBe(3);
  const schemes: string[] = config.experiment.schemes.map((s: { id: string }) => s.id);
  expect(schemes).toEqual(['risotto', 'he', 'fixup', 'skipinit']);
  for (const s of schemes) expect(names).toContain(`risotto-lab-pytorch/weights/${s}.safetensors`);
  // The lab link in the package is the page's own (the URL always holds the experiment).
  expect(config.labUrl).toBe(page.url());

  // (b) train.py's metrics come back as external runs, listed and charted.
  const csv = testInfo.outputPath('metrics.csv');
  writeFileSync(csv, `${METRICS}\n`);
  const picker = page.getByLabel('Import PyTorch metrics CSV');
  await picker.setInputFiles(csv);
  const row = page.getByTestId('run-row-pytorch:risotto');
  await expect(row).toContainText('Risotto (PyTorch)');
  await expect(page.getByTestId('run-external-pytorch:risotto')).toHaveText('external');
  await expect(page.getByTestId('run-row-pytorch:he')).toHaveAttribute('data-external', 'true');
  await expect(page.getByTestId('chart-loss').locator('.chart-legend')).toContainText('Risotto (PyTorch)');
  await expect(page.getByTestId('chart-accuracy').locator('.chart-legend')).toContainText('He (Kaiming) normal (PyTorch)');
  await expect(page.getByTestId('chart-loss').locator('path[stroke-dasharray="6 4"]')).toHaveCount(2);
  // Importing the same file again replaces its runs rather than adding copies.
  await picker.setInputFiles(csv);
  await expect(page.getByTestId('pytorch-imported')).toBeVisible();
  await expect(page.locator('tr[data-external="true"]')).toHaveCount(2);

  // (c) A bad file is refused with a readable reason; what was imported stays.
  const bad = testInfo.outputPath('bad.csv');
  writeFileSync(bad, 'epoch,loss\n1,2.3\n');
  await picker.setInputFiles(bad);
  await expect(page.getByTestId('pytorch-import-error')).toContainText('bad.csv is not a Risotto Lab metrics CSV');
  await expect(row).toContainText('Risotto (PyTorch)');
  await page.screenshot({ path: testInfo.outputPath('1-imported.png'), fullPage: true });

  // Remove drops one run; the rest is kept in the browser and back after a reload.
  await page.getByRole('button', { name: 'Remove He (Kaiming) normal (PyTorch)' }).click();
  await expect(page.getByTestId('run-row-pytorch:he')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText('Risotto (PyTorch)', { timeout: 30_000 });
  await expect(page.getByTestId('run-row-pytorch:he')).toHaveCount(0);
  expect(errors).toEqual([]);
});
