// Seeds: a BN / no-BN comparison built from the form, run with 2 seeds for a few steps,
// shows each run's mean with a min-max band (or every seed's line) and mean ± std in the
// runs table; its shared link reopens it with the seeds.
import { expect, test } from '@playwright/test';
import { configureTinyNet } from './tinyNet';

test('a BN / no-BN comparison over 2 seeds shows bands and mean ± std, and its link keeps the seeds', async ({ page, browser }) => {
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  for (const label of ['He (Kaiming) normal', 'Fixup', 'SkipInit']) await page.getByLabel(label, { exact: true }).uncheck();
  await configureTinyNet(page, { width: 8, batch: 4, steps: 3 });
  await page.getByLabel('Eval every').fill('1');
  await page.getByLabel('Seeds', { exact: true }).fill('2');
  await page.getByTestId('run-bn-twin-0').click();
  await expect(page.locator('[data-testid^="runlist-"]')).toHaveCount(2);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'finished', { timeout: 170_000 });
  for (const key of ['risotto', 'risotto[bn=1]']) {
    const row = page.getByTestId(`run-row-${key}`);
    await expect(row).toHaveAttribute('data-seeds', '2');
    await expect(page.getByTestId(`run-status-${key}`)).toHaveText('finished');
    await expect(page.getByTestId(`run-loss-${key}`)).toHaveText(/^\S+ ± \S+$/);
    await expect(page.getByTestId(`run-best-acc-${key}`)).toHaveText(/^\S+% ± \S+%$/);
  }
  // Two runs in the table (not four), each over its 2 seeds.
  await expect(page.locator('[data-testid^="run-row-"]')).toHaveCount(2);

  // One band per run on the loss and accuracy charts; every seed's line instead on request.
  await expect(page.getByTestId('seed-note')).toContainText('mean over the seeds');
  for (const chart of ['chart-loss', 'chart-accuracy']) await expect(page.getByTestId(chart).locator('.seed-band')).toHaveCount(2);
  const lines = await page.getByTestId('chart-loss').locator('.recharts-line').count();
  await page.getByTestId('seed-view').selectOption('every');
  await expect(page.getByTestId('chart-loss').locator('.seed-band')).toHaveCount(0);
  await expect(page.getByTestId('chart-loss').locator('.recharts-line')).toHaveCount(2 * lines);

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(other.getByLabel('Seeds', { exact: true })).toHaveValue('2');
  await expect(other.locator('[data-testid^="runlist-"]')).toHaveCount(2);
  await fresh.close();
});
