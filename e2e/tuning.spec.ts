// Kernel tuning in the browser: off by default on a software adapter (CI's SwiftShader),
// saying why; turned on, the first run shows a "tuning kernels n/m shapes" phase, the
// choices land in IndexedDB keyed by adapter, op and code hash, and after a reload the
// setting is still on and the same run times no shape (every choice comes from the
// store). The other specs keep the default (off here), so they run the fixed kernels.
import { expect, test, type Page } from '@playwright/test';
import { configureTinyNet } from './tinyNet';

/** Records every text the status line's phase shows (a phase can pass quickly). */
async function watchStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statusSeen: string[] }).statusSeen = seen;
    const note = () => {
      const t = document.querySelector('[data-testid="status-phase"]')?.textContent;
      if (t && seen.at(-1) !== t) seen.push(t);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}
const statusSeen = (page: Page) => page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen);

/** The kernel choices in the lab's IndexedDB (the page shares the Worker's origin). */
function storedChoices(page: Page): Promise<{ adapter: string; op: string; variant: string }[]> {
  return page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    if (!dbs.some((d) => d.name === 'risotto-lab-kernel-choices')) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('risotto-lab-kernel-choices');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      if (!db.objectStoreNames.contains('choices')) return [];
      return await new Promise((resolve, reject) => {
        const req = db.transaction('choices').objectStore('choices').getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    } finally {
      db.close();
    }
  });
}

test('tuning on: a tuning phase, choices stored in IndexedDB, reused after a reload', async ({ page }, testInfo) => {
  await page.goto('/');
  const adapter = page.getByTestId('adapter-name');
  await expect(adapter).toBeVisible({ timeout: 60_000 });
  const tune = page.getByTestId('tune-kernels');
  const software = /swiftshader|llvmpipe|lavapipe|software/i.test((await adapter.textContent()) ?? '');
  if (software) {
    // A software renderer starts with tuning off, and says why.
    await expect(tune).not.toBeChecked();
    await expect(page.getByTestId('tuning-note')).toContainText('off by default on a software renderer');
    await tune.check();
  } else await expect(tune).toBeChecked();
  await expect(page.getByTestId('tuning-note')).toContainText('timed per kernel variant');

  for (const label of ['He (Kaiming) normal', 'Fixup', 'SkipInit']) await page.getByLabel(label, { exact: true }).uncheck();
  await configureTinyNet(page, { steps: 2 });
  await watchStatus(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'finished', { timeout: 150_000 });

  const kernels = page.getByTestId('kernel-choice');
  await expect(kernels).toHaveAttribute('data-tuning', 'true');
  const shapes = Number(await kernels.getAttribute('data-shapes'));
  expect(shapes).toBeGreaterThan(0);
  await expect(kernels).toHaveAttribute('data-timed', String(shapes));
  const tuning = (await statusSeen(page)).filter((t) => t.startsWith('Tuning kernels'));
  expect(tuning.length).toBeGreaterThan(0);
  expect(tuning.at(-1)).toMatch(new RegExp(`^Tuning kernels ${shapes}/${shapes} shapes \\(`));

  // Saved before the pipelines were compiled: one record per shape, keyed by adapter,
  // op (kind, shape) and a hash of the variants' kernels.
  await expect.poll(async () => (await storedChoices(page)).length).toBe(shapes);
  const stored = await storedChoices(page);
  // Every op with variants: `conv2dForward n2 3->8 ...`, `matmul 1x 10x8 @ 8x32 TA`,
  // `globalAvgPoolForward n2 c8 4x4`, `batchNormBackwardReduce c8 m32 hw16`.
  const ops =
    /^(conv2d\w+ n\d+ |matmul \d+x \d+x\d+ @ |globalAvgPoolForward n\d+ c\d+ |batchNormBackwardReduce c\d+ m\d+ ).* #[0-9a-f]{16}$/;
  for (const r of stored) expect(r.op).toMatch(ops);
  expect(new Set(stored.map((r) => r.adapter)).size).toBe(1);

  await page.reload();
  await expect(adapter).toBeVisible({ timeout: 60_000 });
  await expect(tune).toBeChecked(); // the setting is kept in this browser
  // The finished run comes back from storage with its record of how kernels were chosen.
  await expect(page.getByTestId('saved-experiments').locator('li').first()).toHaveAttribute('data-phase', 'finished', {
    timeout: 30_000,
  });
  await expect(kernels).toHaveAttribute('data-timed', String(shapes), { timeout: 30_000 });
  await watchStatus(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // The new run's record: every shape known, none timed.
  await expect(kernels).toHaveAttribute('data-timed', '0', { timeout: 150_000 });
  await expect(kernels).toHaveAttribute('data-shapes', String(shapes));
  await expect(kernels).toContainText(`kept from earlier`);
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'finished', { timeout: 150_000 });
  expect((await statusSeen(page)).filter((t) => t.startsWith('Tuning'))).toEqual([]);
  expect((await storedChoices(page)).length).toBe(shapes);
  await page.screenshot({ path: testInfo.outputPath('reused.png') });
});
