// The Web Worker that owns the GPU device. The page talks to it through comlink
// (typed RPC over postMessage); nothing GPU-related runs on the main thread.

import * as Comlink from 'comlink';
import { runSelfCheck } from '../lab/deviceCheck';

const api = {
  async selfCheck() {
    return runSelfCheck((self as unknown as { navigator: Navigator }).navigator.gpu);
  },
};

export type LabWorkerApi = typeof api;

Comlink.expose(api);
