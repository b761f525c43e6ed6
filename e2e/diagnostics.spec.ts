// The diagnostics of a BatchNorm experiment: by default the spectrum is the network
// being trained (batch statistics of a reference batch), the BatchNorm switch shows the
// inference function instead (at step 0: the net without BN, and the chart says so),
// and Risotto's low rank is explained beside its reach map; the per-block gradient-norm
// heat map fills in as the runs train.
import { expect, test } from '@playwright/test';
import { configureTinyNet } from './tinyNet';

test('a BatchNorm experiment: batch-statistics spectrum by default, the switch changes it, reach maps and the rank explained', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Dataset').selectOption('mnist');
  for (const label of ['Fixup', 'SkipInit']) await page.getByLabel(label, { exact: true }).uncheck();
  await configureTinyNet(page, { steps: 2, width: 8 });
  await page.getByLabel('BatchNorm').check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();

  const he = page.getByTestId('spectrum-stats-he');
  await expect(he).toBeVisible({ timeout: 180_000 });
  await expect(he).toHaveAttribute('data-bn-stats', 'batch');
  const batchSigma = Number(await he.getAttribute('data-sigma-max'));
  await expect(page.getByTestId('spectrum-bn-note')).toContainText('reference batch of 32');

  await page.getByTestId('bn-stats-choice').first().selectOption('running');
  await expect(he).toHaveAttribute('data-bn-stats', 'running');
  const runningSigma = Number(await he.getAttribute('data-sigma-max'));
  expect(Number.isFinite(batchSigma) && Number.isFinite(runningSigma)).toBe(true);
  expect(Math.abs(runningSigma / batchSigma - 1)).toBeGreaterThan(1e-3);
  await expect(page.getByTestId('spectrum-bn-note')).toContainText('BatchNorm is the identity');

  // Risotto's delta kernels with two stride-2 stages on the 8 x 8 probe: one pixel in 16.
  await expect(page.getByTestId('reach-map-risotto')).toHaveAttribute('data-reached', '4');
  await expect(page.getByTestId('reach-map-he')).toHaveAttribute('data-reached', '64');
  await expect(page.getByTestId('chart-balance')).toBeVisible();

  // The gradient-norm history: every block (stem, 3 blocks, head) at both steps, with values.
  const heat = page.getByTestId('grad-heatmap-he');
  await expect(heat).toHaveAttribute('data-steps', '2');
  await expect(heat).toHaveAttribute('data-blocks', '5');
  await expect(heat).toHaveAttribute('data-finite', '10');
  const canvas = heat.locator('canvas');
  const box = (await canvas.boundingBox())!;
  await canvas.hover({ position: { x: box.width * 0.75, y: 2 } });
  await expect(heat.getByTestId('heatmap-hover')).toHaveText(/^stem, step 2: \d/);
  expect(errors).toEqual([]);
});
