// Creates the lab Worker and returns its typed comlink proxy.
import * as Comlink from 'comlink';
import type { LabWorkerApi } from './labWorker';

export function startLabWorker(): Comlink.Remote<LabWorkerApi> {
  const worker = new Worker(new URL('./labWorker.ts', import.meta.url), { type: 'module', name: 'risotto-lab' });
  return Comlink.wrap<LabWorkerApi>(worker);
}
