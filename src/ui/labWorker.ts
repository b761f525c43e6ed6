// The Web Worker that owns the GPU device and runs the lab; the page talks to it through
// comlink (typed RPC over postMessage). Nothing GPU-related runs on the main thread.

import * as Comlink from 'comlink';
import { acquireBrowserDevice } from '../lab/browserDevice';
import { LabService, type LabEvent } from '../lab/labService';
import type { ExperimentConfig } from '../lab/experiment';
import type { ComparisonSnapshot } from '../lab/runState';

const gpu = (self as unknown as { navigator: Navigator }).navigator.gpu;
let listener: ((e: LabEvent) => void) | undefined;

async function readAsset(path: string): Promise<Uint8Array> {
  // Assets under public/ are served from the site root (Vite's base URL).
  const res = await fetch(new URL(`${import.meta.env.BASE_URL}${path}`, self.location.origin));
  if (!res.ok) throw new Error(`could not load ${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

const service = new LabService(() => acquireBrowserDevice(gpu), gpu, readAsset, (e) => listener?.(e));

const api = {
  init: () => service.init(),
  loadBuiltin: (id: string) => service.loadBuiltin(id),
  start: (exp: ExperimentConfig, onUpdate: (s: ComparisonSnapshot) => void) => service.start(exp, onUpdate),
  pause: () => service.pause(),
  resume: () => service.resume(),
  stop: () => service.stop(),
  onEvent(cb: (e: LabEvent) => void) {
    listener = cb;
  },
};

export type LabWorkerApi = typeof api;

Comlink.expose(api);
