// The init explorer: opened from a link with its own section, the depth slider moves He's
// spectrum while Risotto's stays at sigma = 1, the address bar follows, the link reopens
// the same state in a new page, and the depth sweep plots its table. Small settings
// (width 8) keep software WebGPU quick; every wait is on the page's own state.
import { expect, test, type Page } from '@playwright/test';

const sigmaMax = async (page: Page, scheme: string) =>
  Number(await page.getByTestId(`spectrum-stats-${scheme}`).getAttribute('data-sigma-max'));
const maxDev = async (page: Page, scheme: string) =>
  Number(await page.getByTestId(`spectrum-stats-${scheme}`).getAttribute('data-max-dev'));

async function measuredAt(page: Page, depth: number) {
  const view = page.getByTestId('explorer');
  await expect(view).toHaveAttribute('data-measured', new RegExp(`^depth:${depth},width:8,.*schemes:he\\+risotto$`), { timeout: 120_000 });
  await expect(view).toHaveAttribute('data-status', 'ready');
}

test("the depth slider changes He's spectrum while Risotto's stays at 1; the link reopens the explorer", async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#explore=depth:1,width:8,aRes:1,aSkip:1,seed:1,bn:0,schemes:he+risotto');
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('tab', { name: 'Init explorer' })).toHaveAttribute('aria-selected', 'true');
  await measuredAt(page, 1);
  const he1 = await sigmaMax(page, 'he');
  expect(await maxDev(page, 'risotto')).toBeLessThan(1e-5);

  await page.getByTestId('explore-depth').fill('4');
  await expect(page.getByTestId('explore-depth-value')).toHaveText('4');
  await measuredAt(page, 4);
  const he4 = await sigmaMax(page, 'he');
  expect(he4).toBeGreaterThan(he1 * 1.2);
  expect(await maxDev(page, 'risotto')).toBeLessThan(1e-5);
  expect(Math.abs((await sigmaMax(page, 'risotto')) - 1)).toBeLessThan(1e-5);
  await expect(page.getByTestId('chart-signal')).toBeVisible();
  await expect(page.getByTestId('chart-balance')).toBeVisible();
  await expect(page.getByTestId('reach-map-he')).toBeVisible();
  await expect(page).toHaveURL(/#explore=depth:4,width:8,aRes:1,aSkip:1,seed:1,bn:0,schemes:he\+risotto$/);

  // Shared: a new page opens the explorer with the same settings and the same numbers.
  const other = await context.newPage();
  other.on('pageerror', (e) => errors.push(e.message));
  await other.goto(page.url());
  await expect(other.getByTestId('explore-depth')).toHaveValue('4', { timeout: 60_000 });
  await measuredAt(other, 4);
  expect(await sigmaMax(other, 'he')).toBeCloseTo(he4, 4);
  expect(await maxDev(other, 'risotto')).toBeLessThan(1e-5);

  // The depth sweep, small: D = 1, 2 with one seed.
  await other.getByTestId('sweep-max-depth').selectOption('2');
  await other.getByTestId('sweep-seeds').fill('1');
  await other.getByRole('button', { name: 'Depth sweep' }).click();
  const heSweep = other.getByTestId('sweep-stats-he');
  await expect(heSweep).toBeVisible({ timeout: 120_000 });
  const [s1, s2] = JSON.parse((await heSweep.getAttribute('data-sigma-max'))!) as number[];
  expect(s1).toBeCloseTo(he1, 4);
  expect(s2).toBeGreaterThan(s1);
  const risDev = JSON.parse((await other.getByTestId('sweep-stats-risotto').getAttribute('data-max-dev'))!) as number[];
  expect(risDev).toHaveLength(2);
  for (const d of risDev) expect(d).toBeLessThan(1e-5);

  // Back to training: the explorer's section leaves the link.
  await other.getByRole('tab', { name: 'Training' }).click();
  await expect(other).not.toHaveURL(/explore=/);
  expect(errors).toEqual([]);
});
