// Runs GPU work inside validation + out-of-memory error scopes and throws a typed
// error instead of letting the failure surface later as an uncaptured event.

export class GpuOperationError extends Error {
  constructor(
    readonly kind: 'validation' | 'out-of-memory',
    message: string,
    readonly operation: string,
  ) {
    super(`${operation}: GPU ${kind} error: ${message}`);
    this.name = 'GpuOperationError';
  }
}

export async function withErrorScopes<T>(device: GPUDevice, operation: string, fn: () => T | Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let thrown: unknown;
  try {
    result = await fn();
  } catch (e) {
    thrown = e;
  }
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (thrown) throw thrown;
  if (validation) throw new GpuOperationError('validation', validation.message, operation);
  if (oom) throw new GpuOperationError('out-of-memory', oom.message, operation);
  return result as T;
}
