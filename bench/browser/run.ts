// `npm run bench:browser [-- --only=first|step|default|lab] [--full] [--batch=N]`: serves
// bench/browser/ with Vite, opens it in Debian's Chromium (WebGPU on SwiftShader, the e2e
// tests' flags) and prints the Markdown the page computes; `lab` instead times Run -> first
// loss in the lab app itself (labFirstLoss.ts), then the page's `default` section (the same
// model's first loss, ours vs jax-js). Progress (the page's console) goes to stderr.
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../../e2e/chromium';
import { benchLabFirstLoss } from './labFirstLoss';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && !['first', 'step', 'default', 'lab'].includes(only))
  throw new Error(`--only must be first, step, default or lab, got ${only}`);
const batch = process.argv.find((a) => a.startsWith('--batch='))?.slice('--batch='.length);
if (batch !== undefined && !(Number.isInteger(Number(batch)) && Number(batch) >= 1))
  throw new Error(`--batch must be a positive integer (images per training step), got ${batch}`);
const query = new URLSearchParams({
  small: process.argv.includes('--full') ? '0' : '1',
  ...(only ? { only: only === 'lab' ? 'default' : only } : {}),
  ...(batch ? { batch } : {}),
});

const server = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  server: { port: 0, host: '127.0.0.1', fs: { allow: [repo] } },
});
await server.listen();
const url = server.resolvedUrls!.local[0];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  if (only === 'lab') console.log(`### Run -> first loss in the lab (browser)\n\n${await benchLabFirstLoss(browser)}\n`);
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`  [page] ${m.text()}`));
  await page.goto(`${url}?${query}`);
  const handle = await page.waitForFunction(() => (window as unknown as { __benchResult?: string }).__benchResult, undefined, {
    timeout: 0,
    polling: 1000,
  });
  const text = (await handle.jsonValue()) as string;
  console.log(text);
  if (text.startsWith('bench failed')) process.exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
