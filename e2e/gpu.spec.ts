// The app finds WebGPU in Chromium (inside its Worker) and real WGSL kernels match
// the float64 reference there. Fails with a clear message when WebGPU is missing.
import { expect, test } from '@playwright/test';

test('the lab worker gets a WebGPU adapter and its kernels match the reference', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Risotto Lab' })).toBeVisible();
  const status = page.getByTestId('gpu-status');
  await expect(status).not.toHaveText(/Checking/);
  const text = await status.innerText();
  expect(
    text,
    'WebGPU must be available: install Debian chromium (apt-get install -y chromium) and run with --enable-unsafe-webgpu',
  ).not.toMatch(/not available/);
  await expect(status).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('adapter-name')).not.toBeEmpty();
  await page.screenshot({ path: testInfo.outputPath('gpu-panel.png'), fullPage: true });
  expect(errors).toEqual([]);
});
