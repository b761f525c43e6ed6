// The engine's door to a GPU device, for layers above it (lab, cli, analysis) that
// may not reach into src/gpu: acquire a device in a page/Worker or in Node, the context
// type they pass around, and the browser's store of tuned kernel choices.

export { acquireDevice, type GpuContext } from '../../gpu';
export { idbTuneStore } from '../../gpu';
