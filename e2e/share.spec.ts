// Share round trip: configure, copy the link, open it in a fresh browser context: the
// same experiment is shown and the same initial spectrum is measured (same seed, same
// initial weights). A hostile link shows warnings as text and falls back to defaults.
import { expect, test, type Page } from '@playwright/test';
import { configureTinyNet } from './tinyNet';

async function spectrumOf(page: Page) {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const stats = page.getByTestId('spectrum-stats-risotto');
  await expect(stats).toBeVisible({ timeout: 120_000 });
  const result = {
    maxDev: await stats.getAttribute('data-max-dev'),
    rank: await stats.getAttribute('data-rank'),
    cond: await stats.getAttribute('data-condition'),
  };
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', /finished|stopped/, { timeout: 120_000 });
  return result;
}

test('a shared link reproduces the experiment and its initial spectrum', async ({ page, browser }) => {
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Dataset').selectOption('mnist');
  for (const label of ['He (Kaiming) normal', 'Fixup', 'SkipInit']) await page.getByLabel(label, { exact: true }).uncheck();
  await configureTinyNet(page, { blocks: '2,1,1', width: 6, batch: 4, steps: 2 });
  await page.getByLabel('Seed', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('seed=1234');
  const first = await spectrumOf(page);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(other.getByLabel('Dataset')).toHaveValue('mnist');
  await expect(other.getByLabel('Blocks per stage')).toHaveValue('2,1,1');
  await expect(other.getByLabel('Width', { exact: true })).toHaveValue('6');
  await expect(other.getByLabel('Seed', { exact: true })).toHaveValue('1234');
  await expect(other.getByLabel('He (Kaiming) normal', { exact: true })).not.toBeChecked();
  const second = await spectrumOf(other);
  expect(second).toEqual(first);
  await fresh.close();
});

test('a hostile link shows its warnings as text and uses defaults', async ({ page }) => {
  await page.goto('/#v=1&w=abc&ds=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&steps=-5&bs=1e999');
  const notice = page.getByTestId('notice');
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await expect(notice).toContainText('This link');
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  await expect(page.getByLabel('Width', { exact: true })).toHaveValue('16');
  await expect(page.getByLabel('Dataset')).toHaveValue('shapes');
});
