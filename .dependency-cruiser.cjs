// Dependency rules the CI checks (`npm run lint`): no import cycles, and the one-way
// import rule between layers (docs/architecture.md section 1).

/** Which src/ folders each layer may import; util is open to all and imports nothing. */
const ALLOWED = {
  util: [],
  gpu: ['util'],
  engine: ['util'], // engine/webgpu may also import gpu (rule below)
  nn: ['engine', 'util'],
  data: ['util'],
  analysis: ['nn', 'engine', 'util'],
  lab: ['nn', 'data', 'analysis', 'engine', 'util'],
  ui: ['lab', 'util'],
  cli: ['lab', 'util'],
};
const LAYERS = Object.keys(ALLOWED);

const layerRules = LAYERS.map((from) => {
  const forbidden = LAYERS.filter((to) => to !== from && !ALLOWED[from].includes(to) && !(from === 'engine' && to === 'gpu'));
  return {
    name: `layer-${from}`,
    comment: `src/${from} may import only ${ALLOWED[from].join(', ') || 'nothing in src'}`,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: `^src/(${forbidden.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'import cycles make layers impossible to read or test alone',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'layer-index',
      comment:
        'another layer is imported through its public index.ts (Node-only code: node.ts, src/lab/node/index.ts), never a file behind it; tests may import any file',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/(index|node)\\.ts$', '^src/lab/node/index\\.ts$'] },
    },
    {
      name: 'engine-gpu-only-from-webgpu',
      comment: 'only src/engine/webgpu may import src/gpu',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: '^src/engine/webgpu/' },
      to: { path: '^src/gpu/' },
    },
    {
      name: 'shaders-only-from-kernels',
      comment: 'only src/gpu/kernels imports WGSL',
      severity: 'error',
      from: { pathNot: '^src/gpu/kernels/' },
      to: { path: '^shaders/' },
    },
    {
      name: 'pytorch-only-from-lab-pytorch',
      comment: 'only src/lab/pytorch imports the Python sources',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/lab/pytorch/' },
      to: { path: '^pytorch/' },
    },
    {
      name: 'ui-libraries-only-in-ui',
      comment: 'only src/ui uses React, zustand or recharts',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/ui/' },
      to: { path: '(^|node_modules/)(react|react-dom|zustand|recharts)(/|$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|test-results)/' },
  },
};
