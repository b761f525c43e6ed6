// A WebGPU device in Node for the command line (the `webgpu` package); never imported
// by the browser bundle.
export { acquireNodeDevice, NODE_INSTALL_HINT } from '../../engine/webgpu/nodeDevice';
