// `npm test`: typecheck, layering lint, unit + GPU kernel tests (Vitest, Node WebGPU),
// and e2e (Playwright, Chromium WebGPU). Ends with one line `N passed, N failed`
// summing every suite, so a run that executed nothing shows as such.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const out = 'test-results';
mkdirSync(out, { recursive: true });
let passed = 0;
let failed = 0;

function step(name, cmd, args, env = {}) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) passed += 1;
  else {
    failed += 1;
    console.log(`!! ${name} failed`);
  }
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

check('built-in datasets', 'node', ['scripts/buildMnist.mjs']);
check('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
check('layering', 'node', ['scripts/checkLayers.mjs']);

const vitestJson = `${out}/vitest.json`;
const vitestOk = step('unit + GPU kernel tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests + (vitestOk || v.numFailedTests > 0 ? 0 : 1);
} else failed += 1;

const pwJson = `${out}/playwright.json`;
const pwOk = step('e2e (Chromium WebGPU)', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
const p = readJson(pwJson);
if (p) {
  passed += p.stats.expected + (p.stats.flaky ?? 0);
  failed += p.stats.unexpected + (pwOk || p.stats.unexpected > 0 ? 0 : 1);
} else failed += 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
