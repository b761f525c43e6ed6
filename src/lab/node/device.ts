// A WebGPU device in Node for the command line (the `webgpu` package); never imported
// by the browser bundle.
export { acquireNodeDevice } from '../../engine/node';
