// The engine's door to a GPU device, for layers above it (lab, cli, analysis) that
// may not reach into src/gpu: acquire a device in a page/Worker or in Node, and the
// context type they pass around.

export { acquireDevice, type GpuContext } from '../../gpu';
