// WebGPU in Node for the lab's command line, benches and tests (never bundled for the browser).
export { acquireNodeDevice } from '../../gpu/node';
