// Results survive a reload: a paused run's history and checkpoint are in IndexedDB; after
// reloading, the lab shows the experiment and resumes it from the checkpoint with its
// history intact (the gradient-norm heat map too). Export and import of results JSON
// round-trip.
import { expect, test } from '@playwright/test';
import { configureTinyNet } from './tinyNet';

test('reload mid-run: the saved run resumes with its history intact', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Dataset').selectOption('mnist');
  for (const label of ['He (Kaiming) normal', 'Fixup', 'SkipInit']) await page.getByLabel(label, { exact: true }).uncheck();
  await configureTinyNet(page, { steps: 400 });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const row = page.getByTestId('run-row-risotto');
  await expect.poll(async () => Number(await row.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThanOrEqual(4);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'paused', { timeout: 60_000 });
  // The Worker reports each write to IndexedDB and the saved list follows: wait until it
  // shows the paused snapshot and the checkpoint taken at the same step (the last points
  // before the pause are shown and saved before that checkpoint).
  const before = page.getByTestId('saved-experiments').locator('li').first();
  await expect(before).toHaveAttribute('data-phase', 'paused', { timeout: 30_000 });
  await expect(before).toHaveAttribute('data-checkpoint-step', (await before.getAttribute('data-step'))!, { timeout: 30_000 });
  const pausedPoints = Number(await row.getAttribute('data-points'));

  await page.reload();
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  const saved = page.getByTestId('saved-experiments').locator('li').first();
  await expect(saved).toHaveAttribute('data-phase', 'paused', { timeout: 30_000 });
  // The history is shown right after the reload, before resuming.
  await expect(row).toHaveAttribute('data-points', String(pausedPoints), { timeout: 30_000 });
  // ... with the gradient-norm history (every step is kept at this length).
  const heat = page.getByTestId('grad-heatmap-risotto');
  await expect(heat).toHaveAttribute('data-steps', String(pausedPoints));
  await page.screenshot({ path: testInfo.outputPath('1-after-reload.png'), fullPage: true });
  await saved.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(async () => Number(await row.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(pausedPoints);
  await expect(row).toHaveAttribute('data-first-step', '1');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'stopped', { timeout: 60_000 });

  // Export the results as JSON, import them back: the runs come back for viewing.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const file = testInfo.outputPath('results.json');
  await download.saveAs(file);
  const points = Number(await row.getAttribute('data-points'));
  // The heat map may draw a moment after the runs table: wait for it to show every point.
  const heatSteps = String(keptSteps(points));
  await expect(heat).toHaveAttribute('data-steps', heatSteps);
  await page.getByLabel('Import results JSON').setInputFiles(file);
  await expect(page.getByTestId('saved-experiments').locator('li')).toHaveCount(2, { timeout: 30_000 });
  await expect(row).toHaveAttribute('data-points', String(points));
  await expect(heat).toHaveAttribute('data-steps', heatSteps);
  await page.screenshot({ path: testInfo.outputPath('2-imported.png'), fullPage: true });
});

/** Steps the history keeps of n logged ones (src/lab/runHistory.ts: 256 rows at most,
 * then every second row goes and the stride doubles). */
function keptSteps(n: number): number {
  let [stride, rows] = [1, 0];
  for (let i = 0; i < n; i++) {
    if (i % stride) continue;
    rows += 1;
    if (rows >= 256) [rows, stride] = [rows / 2, stride * 2];
  }
  return rows;
}
