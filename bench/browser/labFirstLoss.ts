// Run -> first loss in the lab itself, as a user gets it: the app served by Vite, opened
// in Chromium, Run pressed on the default experiment (nothing changed, nothing stored
// before), timed by the page's own clock from the click to the first loss in the runs
// table and to every run's, with each phase the status bar showed on the way (tuning,
// pipelines, spectra, first step) and when it began.
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { createServer } from 'vite';
import { fmt, table } from '../harness';

const repo = fileURLToPath(new URL('../..', import.meta.url));

interface Timeline {
  /** ms from the click to the first run's first loss in the runs table. */
  firstLoss: number;
  /** ms from the click to every run's first loss. */
  allLosses: number;
  /** Each distinct status-bar phase label, with ms from the click when it appeared. */
  phases: [label: string, ms: number][];
  adapter: string;
}

async function measure(browser: Browser, url: string): Promise<Timeline> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`  [lab] page error: ${e.message}`));
  await page.goto(url);
  const adapter = page.getByTestId('adapter-name');
  await adapter.waitFor({ timeout: 120_000 });
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.waitFor();
  const name = (await adapter.textContent()) ?? '';
  // No named functions inside: tsx keeps function names with a helper the page lacks.
  const result = await page.evaluate(
    () =>
      new Promise<{ firstLoss: number; allLosses: number; phases: [string, number][] }>((resolve) => {
        const phases: [string, number][] = [];
        const t0 = { ms: 0, first: 0 };
        const watch = new MutationObserver(() => {
          const text = document.querySelector('[data-testid="status-phase"]')?.textContent ?? '';
          const l = text.replace(/\d+\s*\/\s*\d+/g, 'n/m');
          const now = performance.now() - t0.ms;
          if (phases.length === 0 || phases[phases.length - 1][0] !== l) phases.push([l, now]);
          const cells = [...document.querySelectorAll('[data-testid^="run-loss-"]')];
          const shown = cells.filter((c) => /\d/.test(c.textContent ?? '')).length;
          if (shown > 0 && t0.first === 0) t0.first = now;
          if (cells.length > 0 && shown === cells.length) {
            watch.disconnect();
            resolve({ firstLoss: t0.first, allLosses: now, phases });
          }
        });
        watch.observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Run')!;
        t0.ms = performance.now();
        button.click();
      }),
  );
  await page.close();
  return { ...result, adapter: name };
}

/** Markdown: the lab's Run -> first loss on its default experiment, with the phases. */
export async function benchLabFirstLoss(browser: Browser): Promise<string> {
  const server = await createServer({
    root: repo,
    configFile: `${repo}vite.config.ts`,
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1' },
  });
  await server.listen();
  try {
    const t = await measure(browser, server.resolvedUrls!.local[0]);
    console.error(`  [lab] first loss ${fmt(t.firstLoss)} ms after Run, every run's ${fmt(t.allLosses)} ms`);
    return [
      `The lab (\`npm start\`'s app) on ${t.adapter}: Run pressed on the default experiment, timed from the click to the first loss in the runs table; the phases the status bar showed and when each began.`,
      '',
      table(
        ['phase', 'began at ms'],
        [
          ...t.phases.map(([l, ms]) => [l || '(none)', fmt(ms)]),
          ['**first loss shown** (first run)', `**${fmt(t.firstLoss)}**`],
          ["every run's first loss shown", fmt(t.allLosses)],
        ],
      ),
    ].join('\n');
  } finally {
    await server.close();
  }
}
