// CI lint: fails when a file breaks the one-way import rule between layers (see layers.mjs).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkTree } from './layers.mjs';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx|mts|mjs)$/.test(name) ? [p] : [];
  });
}

const root = process.cwd();
const files = walk(join(root, 'src'));
const errors = checkTree(root, files);
if (errors.length) {
  console.error(`Layering violations (see docs/architecture.md section 1):\n${errors.join('\n')}`);
  process.exit(1);
}
console.log(`layering ok: ${files.length} files checked`);
