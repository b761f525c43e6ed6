// On a software adapter (CI's Chromium renders WebGPU with SwiftShader) the lab says
// what the default experiment costs there and offers the same comparison at a size
// that finishes; one click applies it to the form. On a hardware GPU nothing is offered.
import { expect, test } from '@playwright/test';

test('a software adapter gets a one-click lighter variant that says what it changes', async ({ page }) => {
  await page.goto('/');
  const adapter = page.getByTestId('adapter-name');
  await expect(adapter).toBeVisible({ timeout: 60_000 });
  const notice = page.getByTestId('software-notice');
  if (!/swiftshader|llvmpipe|lavapipe|software/i.test((await adapter.textContent()) ?? '')) {
    await expect(notice).toHaveCount(0);
    return;
  }
  await expect(notice).toContainText(/This experiment is \d\.\de\d+ FLOPs, about \d+ h on a software renderer/);
  await expect(notice).toContainText('width 16 → 8');
  const steps = (await notice.textContent())!.match(/steps 1000 → (\d+)/)![1];
  await page.getByTestId('use-lighter').click();
  await expect(page.getByLabel('Width', { exact: true })).toHaveValue('8');
  await expect(page.getByLabel('Steps', { exact: true })).toHaveValue(steps);
  // The variant fits: nothing more to offer, and the link carries it.
  await expect(notice).toHaveCount(0);
  await expect.poll(() => page.url()).toContain(`steps=${steps}`);
});
