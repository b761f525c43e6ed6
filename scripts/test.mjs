// `npm test`: formatting (Prettier), typecheck, TypeScript lint, dependency rules (layers, no cycles; .dependency-cruiser.cjs), unused code (knip.json),
// unit + GPU kernel tests (Vitest, Node WebGPU),
// the PyTorch export's Python tests (unittest, CPU) and e2e (Playwright, Chromium WebGPU). Ends with one line `N passed, N failed`
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
check('formatting (.prettierrc)', 'npx', ['prettier', '--check', '.']);
check('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
check('TypeScript lint (eslint.config.js)', 'npx', ['eslint', 'src', 'bench', 'e2e', 'scripts', 'eslint.config.js']);
check('dependency rules (layers, no cycles)', 'npx', [
  'depcruise',
  'src',
  'bench',
  'e2e',
  'scripts',
  '--config',
  '.dependency-cruiser.cjs',
]);
check('unused files, exports and dependencies (knip.json)', 'npx', ['knip', '--no-progress']);

const vitestJson = `${out}/vitest.json`;
const vitestOk = step('unit + GPU kernel tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests + (vitestOk || v.numFailedTests > 0 ? 0 : 1);
} else failed += 1;

// Python: the same interpreter search as src/lab/node/torchPython.ts.
const python = [process.env.RISOTTO_PYTHON, 'python3', '/usr/bin/python3'].find(
  (p) => p && spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
);
if (!python) {
  console.log(
    '\n!! PyTorch export tests: no Python with torch; run `npm run setup` (apt-get install python3-torch python3-torchvision) or set RISOTTO_PYTHON',
  );
  failed += 1;
} else {
  console.log(`\n== PyTorch export (Python unittest): ${python} -m unittest discover -s pytorch/tests -v`);
  const r = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'pytorch/tests', '-v'], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  process.stdout.write(r.stderr + r.stdout);
  const ran = Number(/^Ran (\d+) tests?/m.exec(r.stderr)?.[1] ?? 0);
  const bad = [...(/^FAILED \((.*)\)/m.exec(r.stderr)?.[1] ?? '').matchAll(/(failures|errors)=(\d+)/g)].reduce(
    (a, m) => a + Number(m[2]),
    0,
  );
  passed += ran - bad;
  failed += bad + (r.status === 0 || bad > 0 ? 0 : 1) + (ran === 0 ? 1 : 0);
}

const pwJson = `${out}/playwright.json`;
const pwOk = step('e2e (Chromium WebGPU)', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
const p = readJson(pwJson);
if (p) {
  passed += p.stats.expected + (p.stats.flaky ?? 0);
  failed += p.stats.unexpected + (pwOk || p.stats.unexpected > 0 ? 0 : 1);
} else failed += 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
