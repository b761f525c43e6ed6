// Runs as a list: build a BatchNorm / no-BatchNorm comparison of one scheme from the form
// (one click adds "the same with BN"), train it a few steps, see both runs labelled apart,
// and reopen it from its shared link.
import { expect, test } from '@playwright/test';
import { configureTinyNet } from './tinyNet';

test('a BN / no-BN comparison built from the form trains, and its link reopens it', async ({ page, browser }) => {
  await page.goto('/');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  for (const label of ['He (Kaiming) normal', 'Fixup', 'SkipInit']) await page.getByLabel(label, { exact: true }).uncheck();
  await configureTinyNet(page, { width: 8, batch: 4, steps: 3 });
  await expect(page.getByTestId('runlist-risotto').getByTestId('run-label')).toHaveText('Risotto');
  await page.getByTestId('run-bn-twin-0').click();
  await expect(page.getByTestId('runlist-risotto[bn=1]').getByTestId('run-label')).toHaveText('Risotto + BN');
  // The twin exists: a second click changes nothing.
  await page.getByTestId('run-bn-twin-0').click();
  await expect(page.locator('[data-testid^="runlist-"]')).toHaveCount(2);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'finished', { timeout: 150_000 });
  for (const key of ['risotto', 'risotto[bn=1]']) await expect(page.getByTestId(`run-status-${key}`)).toHaveText('finished');
  await expect(page.getByTestId('run-row-risotto[bn=1]')).toContainText('Risotto + BN');
  const [plain, withBn] = await Promise.all(['risotto', 'risotto[bn=1]'].map((k) => page.getByTestId(`run-loss-${k}`).textContent()));
  expect(plain).not.toBe(withBn);

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(decodeURIComponent(link)).toMatch(/init=risotto,risotto\[bn:1\]/);
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(other.getByTestId('runlist-risotto[bn=1]').getByTestId('run-label')).toHaveText('Risotto + BN');
  await expect(other.locator('[data-testid^="runlist-"]')).toHaveCount(2);
  await expect(other.getByLabel('Steps', { exact: true })).toHaveValue('3');
  await fresh.close();
});

test('a version-1 link opens unchanged, with a note', async ({ page }) => {
  await page.goto('/#v=1&w=12&init=risotto,he');
  const notice = page.getByTestId('notice');
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await expect(notice).toContainText('made by version 1 of the lab; opened unchanged as version 2');
  await expect(page.getByLabel('Width', { exact: true })).toHaveValue('12');
  await expect(page.locator('[data-testid^="runlist-"]')).toHaveCount(2);
});
