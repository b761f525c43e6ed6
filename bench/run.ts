// `npm run bench [-- --small]`: kernel throughput vs TensorFlow.js WebGPU on the same
// adapter, printed as a Markdown table (copy into bench/RESULTS.md with the adapter line).
import { acquireDevice } from '../src/gpu/device';
import { createNodeGpu, NODE_INSTALL_HINT } from '../src/gpu/nodeGpu';
import { benchKernels } from './kernels';
import { loadTfWebGpu } from './tfPeer';

const small = process.argv.includes('--small');
const gpu = await createNodeGpu();
const ctx = await acquireDevice(gpu, { installHint: NODE_INSTALL_HINT });
const tf = await loadTfWebGpu(gpu);
const a = ctx.adapter;
console.log(`Adapter: ${a.vendor} ${a.architecture} ${a.description}${a.isSoftware ? ' (software)' : ''}; ${new Date().toISOString().slice(0, 10)}; Node ${process.version}\n`);
console.log('### Kernels (dispatch + readback, median)\n');
console.log(await benchKernels(ctx, tf, small));
ctx.destroy();
process.exit(0);
