// TensorFlow.js on its WebGPU backend, on the same Dawn adapter as our engine (Node,
// `webgpu` package): the peer every kernel bench is compared against.
import type { Tensor } from '@tensorflow/tfjs-core';

export type Tf = typeof import('@tensorflow/tfjs-core');

export async function loadTfWebGpu(gpu: GPU): Promise<Tf> {
  const g = globalThis as { navigator?: object };
  g.navigator ??= {};
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('TensorFlow.js could not start its WebGPU backend');
  await tf.ready();
  return tf;
}

/** Runs a registered TF.js kernel directly (no autodiff bookkeeping) and waits for its data. */
export async function runTfKernel(tf: Tf, name: string, inputs: Record<string, Tensor>, attrs: object): Promise<void> {
  const out = tf.engine().runKernel(name, inputs, attrs as never) as Tensor;
  await out.data();
  out.dispose();
}
