// Hostile and heavy links in the built app, and its Content-Security-Policy: every odd
// preset id is named in a plain-text notice, settings beside a preset are applied on top,
// a costly run=1 link asks first, the address bar is rewritten to the normalized
// experiment, Share carries no query string, and inline script is blocked.
import { expect, test, type Page } from '@playwright/test';

async function ready(page: Page) {
  await expect(page.getByTestId('adapter-name')).toBeVisible({ timeout: 60_000 });
}

test('the built page runs under a Content-Security-Policy that blocks inline script and eval', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto('/');
  await ready(page); // the app's module script and its Worker ran under the policy
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self'");
  const result = await page.evaluate(async () => {
    const violation = new Promise<string>((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }),
    );
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.body.appendChild(s);
    // An inline script that is allowed runs during appendChild; then there is no violation to wait for.
    const ran = (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    const directive = ran ? 'none' : await violation;
    let evalBlocked = false;
    try {
      (0, eval)('1 + 1');
    } catch (e) {
      evalBlocked = e instanceof EvalError;
    }
    return { ran, directive, evalBlocked };
  });
  expect(result).toEqual({ ran: false, directive: 'script-src-elem', evalBlocked: true });
  // What the app needs still works under it: an SVG blob drawn as an image (chart PNG
  // export), a same-origin fetch (presets), IndexedDB.
  const allowed = await page.evaluate(async () => {
    const url = URL.createObjectURL(
      new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'], {
        type: 'image/svg+xml',
      }),
    );
    const img = new Image();
    img.src = url;
    const drawn = await img.decode().then(
      () => img.naturalWidth === 4,
      () => false,
    );
    const fetched = (await fetch('presets/index.json')).ok;
    const idb = await new Promise<boolean>((resolve) => {
      const req = indexedDB.open('csp-check');
      req.onsuccess = () => (req.result.close(), resolve(true));
      req.onerror = () => resolve(false);
    });
    return { drawn, fetched, idb };
  });
  expect(allowed).toEqual({ drawn: true, fetched: true, idb: true });
  // Nothing of the app itself was refused by the policy.
  expect(errors.filter((e) => /Content Security Policy/i.test(e) && !/inline script|unsafe-eval/i.test(e))).toEqual([]);
});

test('odd #preset= ids are named as text and nothing is fetched for them', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  for (const [hash, shown] of [
    ['#preset=../../etc/passwd', 'preset=../../etc/passwd: not a preset name'],
    ['#preset=%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', 'preset=../../etc/passwd: not a preset name'],
    ['#preset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', 'preset=<img src=x onerror=alert(1)>: not a preset name'],
    ['#preset=no-such-preset', 'preset=no-such-preset: there is no such preset'],
  ]) {
    // A new document each time: a fragment change alone would not load the page again.
    await page.goto('about:blank');
    await page.goto(`/${hash}`);
    await expect(page.getByTestId('notice')).toContainText(shown, { timeout: 60_000 });
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  }
  expect(fetched.filter((p) => /passwd|etc/.test(p))).toEqual([]);
});

test('settings beside a preset are applied on top, with a note', async ({ page }) => {
  await page.goto('/#preset=he-bn&w=9999&seed=5');
  await ready(page);
  await expect(page.getByLabel('Width', { exact: true })).toHaveValue('512');
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('5');
  await expect(page.getByLabel('BatchNorm')).toBeChecked();
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('w=9999: above the maximum 512, used 512');
  await expect(notice).toContainText("the link's own settings (w, seed) were applied on top of preset he-bn");
});

test('a damaged link is normalized in the address bar, so a reload is clean, and Share carries no query string', async ({ page }) => {
  await page.goto('/?evil=%3Cscript%3E#v=1&w=abc&seed=9&foo=1');
  await ready(page);
  await expect(page.getByTestId('notice')).toContainText('w=abc: not a number');
  await expect(page).toHaveURL(/\/#v=2&seed=9$/);
  expect(new URL(page.url()).search).toBe('');
  await page.getByRole('button', { name: 'Share' }).click();
  const origin = new URL(page.url()).origin;
  await expect(page.getByTestId('share-link')).toHaveValue(`${origin}/#v=2&seed=9`);
  await page.reload();
  await ready(page);
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('9');
  await expect(page.getByTestId('notice')).toHaveCount(0);
});

test('a run=1 link for a very large run asks before starting, and "Not now" starts nothing', async ({ page }) => {
  await page.goto('/#v=1&net=custom&blocks=100,100,100&w=512&bs=4096&steps=10000000&run=1');
  await ready(page);
  const prompt = page.getByTestId('start-prompt');
  await expect(prompt).toContainText('This link asks to start training at once: about 1.4e24 FLOPs');
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'idle');
  await prompt.getByRole('button', { name: 'Not now' }).click();
  await expect(prompt).toHaveCount(0);
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-phase', 'idle');
  // The address bar keeps the experiment but not run=1: a reload never starts it either.
  await expect(page).toHaveURL(/#v=2&/);
  expect(page.url()).not.toContain('run=1');
});

test('a mixup link opens with mixup on, and the accuracy chart says how mixed training batches are scored', async ({ page }) => {
  await page.goto('/#v=2&mix=1');
  await ready(page);
  const alpha = page.getByLabel('Mixup alpha');
  await expect(alpha).toHaveValue('1');
  const heading = page.getByTestId('chart-accuracy').getByRole('heading');
  await expect(heading).toContainText('training batch with mixup, scored on its dominant label');
  await alpha.fill('0');
  await expect(heading).toHaveText('Accuracy (test: bold, training batch: faint)');
});
