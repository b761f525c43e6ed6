// jax-js on its WebGPU backend in Node, on the same Dawn `GPU` object as our engine
// (`webgpu` package): the second peer of the training-step bench. jax-js looks for
// `navigator.gpu` (and reads `navigator.userAgent`), which Node does not have.

export type Jax = typeof import('@jax-js/jax');

export async function loadJaxWebGpu(gpu: GPU): Promise<Jax> {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  g.navigator ??= {};
  // In a browser navigator.gpu is there already; in Node it is the Dawn object we use.
  if (g.navigator.gpu !== gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  if (!('userAgent' in g.navigator)) Object.defineProperty(g.navigator, 'userAgent', { value: 'Node.js', configurable: true });
  const jax = await import('@jax-js/jax');
  const devices = await jax.init('webgpu');
  if (!devices.includes('webgpu')) throw new Error('jax-js could not start its WebGPU backend on this adapter');
  jax.defaultDevice('webgpu');
  return jax;
}
