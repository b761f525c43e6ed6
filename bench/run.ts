// `npm run bench [-- --small] [--only=kernels|step|spectrum|explorer] [--detail]`: kernel
// throughput and ResNet-20 training-step images/s vs TensorFlow.js WebGPU on the same
// adapter, the cost of one Jacobian spectrum, of an init-explorer update and of a depth
// sweep in training steps, printed as Markdown
// (copy into bench/RESULTS.md with the adapter line). Progress goes to stderr.
import { acquireDevice } from '../src/gpu/device';
import { createNodeGpu, NODE_INSTALL_HINT } from '../src/gpu/nodeGpu';
import { benchKernels } from './kernels';
import { loadTfWebGpu } from './tfPeer';
import { benchSpectrum } from './spectrum';
import { benchExplorer } from './explorer';
import { benchTrainStep } from './trainStep';

const small = process.argv.includes('--small');
const detail = process.argv.includes('--detail') ? true : undefined;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && !['kernels', 'step', 'spectrum', 'explorer'].includes(only)) throw new Error(`--only must be kernels, step, spectrum or explorer, got ${only}`);
const gpu = await createNodeGpu();
const ctx = await acquireDevice(gpu, { installHint: NODE_INSTALL_HINT });
const tf = await loadTfWebGpu(gpu);
const a = ctx.adapter;
console.log(`Adapter: ${a.vendor} ${a.architecture} ${a.description}${a.isSoftware ? ' (software)' : ''}; ${new Date().toISOString().slice(0, 10)}; Node ${process.version}\n`);
if (only === undefined || only === 'kernels') {
  console.log('### Kernels (dispatch + readback, median)\n');
  console.log(await benchKernels(ctx, tf, small));
  console.log();
}
if (only === undefined || only === 'spectrum') {
  console.log('### Spectrum vs training step (same net, same device)\n');
  console.log(await benchSpectrum(ctx, { small }));
  console.log();
}
if (only === undefined || only === 'explorer') {
  console.log('### Init explorer update and depth sweep vs training step (same net, same device)\n');
  console.log(await benchExplorer(ctx, { small }));
  console.log();
}
if (only === undefined || only === 'step') {
  console.log('### Training step (ResNet-20, queue N steps then wait for the last)\n');
  console.log(await benchTrainStep(ctx, tf, { small, detail }));
}
ctx.destroy();
process.exit(0);
