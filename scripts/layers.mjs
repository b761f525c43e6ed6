// The one-way import rule between layers (docs/architecture.md section 1) as data plus a checker. Used by
// scripts/checkLayers.mjs (CI lint) and its test. Imports are read with a regex over
// `import ... from '...'`, `export ... from '...'` and `import('...')`.

import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** Which src/ folders each layer may import (util is open to all). */
export const ALLOWED = {
  util: [],
  gpu: ['util'],
  engine: ['util'], // engine/webgpu additionally may import gpu, see below
  nn: ['engine', 'util'],
  data: ['util'],
  analysis: ['nn', 'engine', 'util'],
  lab: ['nn', 'data', 'analysis', 'engine', 'util'],
  ui: ['lab', 'util'],
  cli: ['lab', 'util'],
};

const UI_LIBS = /^(react|react-dom|zustand|recharts)(\/|$)/;
const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

export function importsOf(source) {
  const out = [];
  for (const m of source.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function layerOf(relPath) {
  const parts = relPath.split('/');
  if (parts[0] === 'shaders') return { layer: 'shaders', sub: '' };
  if (parts[0] === 'pytorch') return { layer: 'pytorch', sub: '' };
  if (parts[0] !== 'src') return undefined;
  return { layer: parts[1], sub: parts[2] ?? '' };
}

/** Violations for one file: `file` relative to the repo root, `source` its text. */
export function checkFile(file, source) {
  const from = layerOf(file);
  if (!from) return [];
  const errors = [];
  for (const spec of importsOf(source)) {
    if (UI_LIBS.test(spec) && from.layer !== 'ui') {
      errors.push(`${file}: imports ${spec}; only src/ui may use React, zustand or recharts`);
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const target = normalize(join(dirname(file), spec.replace(/\?raw$/, '')));
    const to = layerOf(target);
    if (!to) continue;
    if (to.layer === 'shaders') {
      if (!(from.layer === 'gpu' && from.sub === 'kernels')) errors.push(`${file}: imports ${spec}; only src/gpu/kernels may import shaders/`);
      continue;
    }
    if (to.layer === 'pytorch') {
      if (!(from.layer === 'lab' && from.sub === 'pytorch')) errors.push(`${file}: imports ${spec}; only src/lab/pytorch may import pytorch/`);
      continue;
    }
    if (to.layer === from.layer) continue;
    const allowed = ALLOWED[from.layer] ?? [];
    const webgpuException = from.layer === 'engine' && from.sub === 'webgpu' && to.layer === 'gpu';
    if (!allowed.includes(to.layer) && !webgpuException) {
      errors.push(`${file}: src/${from.layer} may not import src/${to.layer} (${spec}); allowed: ${allowed.join(', ') || 'nothing in src'}`);
    }
  }
  return errors;
}

export function checkTree(root, files) {
  return files.flatMap((f) => checkFile(relative(root, f), readFileSync(f, 'utf8')));
}
