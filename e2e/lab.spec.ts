// The lab end to end in Chromium with real WebGPU (SwiftShader): a tiny two-scheme
// comparison on built-in MNIST trains in the Worker, both runs report losses, Risotto's
// spectrum is isometric and He's is not, pause/resume work, a GPU profile of a step comes
// out, and the page stays responsive while training. Screenshots of the main views are saved as artifacts.
import { expect, test, type Page } from '@playwright/test';
import { configureTinyNet } from './tinyNet';

async function configureTiny(page: Page, steps: number) {
  await page.getByLabel('Dataset').selectOption('mnist');
  await expect(page.getByText(/28×28×1|28x28x1/)).toBeVisible();
  for (const label of ['Fixup', 'SkipInit']) await page.getByLabel(label, { exact: true }).uncheck();
  await expect(page.getByLabel('Risotto', { exact: true })).toBeChecked();
  await expect(page.getByLabel('He (Kaiming) normal', { exact: true })).toBeChecked();
  await configureTinyNet(page, { steps });
}

const stepOf = async (page: Page) => Number(await page.getByTestId('status-bar').getAttribute('data-step'));

test('two schemes train side by side; spectra, pause/resume and a responsive page', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await configureTiny(page, 400);
  await page.screenshot({ path: testInfo.outputPath('1-configured.png'), fullPage: true });

  await page.getByRole('button', { name: 'Run', exact: true }).click();

  // Spectra are measured at initialisation, before the first step.
  const risotto = page.getByTestId('spectrum-stats-risotto');
  const he = page.getByTestId('spectrum-stats-he');
  await expect(risotto).toBeVisible({ timeout: 120_000 });
  await expect(he).toBeVisible();
  expect(Number(await risotto.getAttribute('data-max-dev'))).toBeLessThan(1e-3);
  expect(Number(await he.getAttribute('data-max-dev'))).toBeGreaterThan(1e-3);

  // Loss points arrive for both runs.
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  for (const key of ['risotto', 'he']) {
    await expect(page.getByTestId(`run-status-${key}`)).toHaveText(/running/);
    await expect(page.getByTestId(`run-loss-${key}`)).toHaveText(/\d/);
  }

  // The page answers input while a run is active: a chart control flips within a bound,
  // and no main-thread task is long while the run advances five steps.
  const toggle = page.getByTestId('loss-log-y');
  const t0 = Date.now();
  await toggle.click();
  await expect(toggle).toBeChecked({ timeout: 2_000 });
  expect(Date.now() - t0, 'input latency while training (ms)').toBeLessThan(1_500);
  const longest = await page.evaluate(
    (from) =>
      new Promise<number>((resolve) => {
        let max = 0;
        const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => (max = Math.max(max, e.duration))));
        obs.observe({ type: 'longtask', buffered: false });
        const bar = document.querySelector('[data-testid="status-bar"]')!;
        const watch = new MutationObserver(() => {
          if (Number(bar.getAttribute('data-step')) < from + 5) return;
          watch.disconnect();
          obs.disconnect();
          resolve(max);
        });
        watch.observe(bar, { attributes: true, attributeFilter: ['data-step'] });
      }),
    await stepOf(page),
  );
  expect(longest, 'longest main-thread task while training (ms)').toBeLessThan(1_000);
  await page.screenshot({ path: testInfo.outputPath('2-training.png'), fullPage: true });

  // Pause: the step stops advancing (the Worker saves the pause checkpoint when its loop
  // reaches the wait, so after that save no step can come before Resume). Resume: it
  // advances again.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'paused', { timeout: 60_000 });
  const pausedAt = await stepOf(page);
  const saved = page.getByTestId('saved-experiments').locator('li').first();
  await expect(saved).toHaveAttribute('data-checkpoint-step', String(pausedAt), { timeout: 60_000 });
  expect(await stepOf(page)).toBe(pausedAt);
  await page.getByRole('toolbar', { name: 'Comparison controls' }).getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThan(pausedAt);

  // Profile: the next step of each run timed by the GPU, per kernel kind, exportable.
  await page.getByRole('button', { name: 'Profile next step' }).click();
  for (const key of ['risotto', 'he']) {
    const table = page.getByTestId(`profile-${key}`);
    await expect(table).toBeVisible({ timeout: 120_000 });
    await expect(table.locator('caption')).toContainText(/step \d+ · [\d.]+ ms on the GPU in \d+ dispatches/);
    await expect(
      table
        .locator('tbody tr')
        .filter({ hasText: /^conv2dForward/ })
        .first(),
    ).toBeVisible();
  }
  const [profileCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export profile CSV' }).click()]);
  const csvText = Buffer.concat(await (await profileCsv.createReadStream()).toArray()).toString();
  expect(csvText.split('\n')[0]).toBe('run,step,kernel,dispatches,ms,share,gflops');
  expect(csvText).toMatch(/\nhe,\d+,conv2dForward/);

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'stopped', { timeout: 60_000 });
  await expect(page.getByTestId('run-status-risotto')).toHaveText(/stopped/);
  await page.screenshot({ path: testInfo.outputPath('3-stopped.png'), fullPage: true });

  // A stopped run's weights are still exportable (kept when its GPU memory was freed).
  await page.getByLabel('Run for weights').selectOption('risotto');
  const [weights] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export weights' }).click()]);
  expect(weights.suggestedFilename()).toMatch(/^risotto-step\d+\.safetensors$/);
  const bytes = await (await weights.createReadStream()).toArray();
  expect(Buffer.concat(bytes).length).toBeGreaterThan(1000);
  await page.getByTestId('chart-spectrum').screenshot({ path: testInfo.outputPath('4-spectrum.png') });
  expect(errors).toEqual([]);
});
