// `npm run bench [-- --small] [--only=kernels|step|spectrum|first|explorer|memory] [--detail] [--batch=N] [--no-tune] [--no-fusion] [--no-tf]`:
// kernel throughput and ResNet-20 training-step images/s vs TensorFlow.js and jax-js
// (WebGPU) on the same adapter, the time to the first step, and the cost of one Jacobian
// spectrum, of an init-explorer update and of a depth sweep in training steps, printed as
// Markdown (copy into bench/RESULTS.md with the adapter line). Progress goes to stderr.
// The training step tunes its kernels per shape on this adapter from scratch (nothing
// cached between bench runs) unless --no-tune asks for the fixed defaults. Fusion
// (src/engine/webgpu/fusion.ts) is on unless --no-fusion; with it on, the step section also
// times the same step compiled without fusion (A/B, same process). --no-tf skips the TF.js
// peer of the step section (the slowest engine here) to keep a run short.
import { acquireDevice } from '../src/gpu/device';
import { createNodeGpu, NODE_INSTALL_HINT } from '../src/gpu/nodeGpu';
import { memoryTuneStore } from '../src/gpu/tuner';
import { setFusion } from '../src/engine/webgpu/fusion';
import { benchFirstStep } from './firstStep';
import { benchKernels } from './kernels';
import { loadJaxWebGpu } from './jaxPeer';
import { loadTfWebGpu } from './tfPeer';
import { benchSpectrum } from './spectrum';
import { benchExplorer } from './explorer';
import { benchMemory } from './memory';
import { benchTrainStep } from './trainStep';

const small = process.argv.includes('--small');
const detail = process.argv.includes('--detail') ? true : undefined;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const SECTIONS = ['kernels', 'step', 'spectrum', 'first', 'explorer', 'memory'];
if (only !== undefined && !SECTIONS.includes(only)) throw new Error(`--only must be one of ${SECTIONS.join(', ')}, got ${only}`);
const gpu = await createNodeGpu();
const tune = !process.argv.includes('--no-tune');
const batchArg = process.argv.find((a) => a.startsWith('--batch='))?.slice('--batch='.length);
const batch = batchArg === undefined ? undefined : Number(batchArg);
if (batch !== undefined && (!Number.isInteger(batch) || batch < 1))
  throw new Error(`--batch must be a positive integer (images per training step), got ${batchArg}`);
setFusion(!process.argv.includes('--no-fusion'));
const ctx = await acquireDevice(gpu, { installHint: NODE_INSTALL_HINT, tuning: { enabled: tune, store: memoryTuneStore() } });
const tf = await loadTfWebGpu(gpu);
const jax = await loadJaxWebGpu(gpu);
const a = ctx.adapter;
console.log(
  `Adapter: ${a.vendor} ${a.architecture} ${a.description}${a.isSoftware ? ' (software)' : ''}; ${new Date().toISOString().slice(0, 10)}; Node ${process.version}\n`,
);
if (only === undefined || only === 'kernels') {
  console.log('### Kernels (dispatch + readback, median)\n');
  console.log(await benchKernels(ctx, tf, jax, small));
  console.log();
}
if (only === undefined || only === 'spectrum') {
  console.log('### Spectrum vs training step (same net, same device)\n');
  console.log(await benchSpectrum(ctx, { small }));
  console.log();
}
if (only === undefined || only === 'first') {
  console.log('### Time to the first step (pipelines one by one vs in parallel)\n');
  console.log(await benchFirstStep(gpu, small));
  console.log();
}
if (only === undefined || only === 'explorer') {
  console.log('### Init explorer update and depth sweep vs training step (same net, same device)\n');
  console.log(await benchExplorer(ctx, { small }));
  console.log();
}
if (only === 'memory') {
  console.log('### GPU memory over 1,000 steps of a comparison (pool sampled every 100 steps)\n');
  console.log(await benchMemory(ctx, { small }));
  console.log();
}
if (only === undefined || only === 'step') {
  console.log('### Training step (ResNet-20, queue N steps then wait for the last)\n');
  console.log(await benchTrainStep(ctx, process.argv.includes('--no-tf') ? undefined : tf, jax, { small, detail, batch }));
}
ctx.destroy();
process.exit(0);
