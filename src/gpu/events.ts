// Typed events a GPU context raises: device loss and uncaptured errors.
// Not a general event bus; listeners are plain callbacks, errors are never swallowed.

export type GpuEvent =
  | { type: 'device-lost'; reason: string; message: string }
  | { type: 'gpu-error'; kind: 'validation' | 'out-of-memory' | 'internal' | 'unknown'; message: string };

export type GpuEventListener = (event: GpuEvent) => void;

export class GpuEvents {
  private listeners = new Set<GpuEventListener>();
  /** Events raised before anyone listened are kept so they are never lost. */
  readonly history: GpuEvent[] = [];

  on(listener: GpuEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: GpuEvent): void {
    this.history.push(event);
    for (const l of this.listeners) l(event);
  }
}

export function classifyGpuError(error: GPUError): GpuEvent & { type: 'gpu-error' } {
  const name = error.constructor?.name ?? '';
  const kind = name.includes('Validation')
    ? 'validation'
    : name.includes('OutOfMemory')
      ? 'out-of-memory'
      : name.includes('Internal')
        ? 'internal'
        : 'unknown';
  return { type: 'gpu-error', kind, message: error.message };
}
