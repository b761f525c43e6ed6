// Shows the adapter the lab runs on and the result of the kernel self-check, or a
// clear page saying how to get WebGPU when it is missing.
import { useLabStore } from './store';

export function GpuPanel() {
  const gpu = useLabStore((s) => s.gpu);
  if (gpu.status === 'checking') return <p data-testid="gpu-status">Checking WebGPU…</p>;
  if (gpu.status === 'unavailable') {
    return (
      <section data-testid="gpu-status" className="gpu-unavailable">
        <h2>WebGPU is not available</h2>
        <p>{gpu.message}</p>
        <p>Use a recent Chrome, Edge or Safari Technology Preview; in Chromium on Linux start it with --enable-unsafe-webgpu.</p>
      </section>
    );
  }
  const { adapter, maxAbsError, elements, milliseconds } = gpu.check;
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' · ') || 'unknown adapter';
  return (
    <section data-testid="gpu-status" data-ok={maxAbsError < 1e-5 ? 'true' : 'false'}>
      <h2>GPU</h2>
      <p data-testid="adapter-name">{name}{adapter.isSoftware ? ' (software renderer: slow, correctness only)' : ''}</p>
      <p data-testid="self-check">
        Kernel self-check: {elements} elements, max |error| {maxAbsError.toExponential(2)} in {milliseconds.toFixed(0)} ms
      </p>
    </section>
  );
}
