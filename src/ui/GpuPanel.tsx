// The adapter the lab runs on and the kernel self-check, or a clear page saying how to
// get WebGPU when it is missing.
import { useLabStore } from './store';

export function GpuPanel() {
  const gpu = useLabStore((s) => s.gpu);
  if (gpu.status === 'checking') return <p data-testid="gpu-status">Checking WebGPU…</p>;
  if (gpu.status === 'unavailable') {
    return (
      <section data-testid="gpu-status" className="gpu-unavailable" role="alert">
        <h2>WebGPU is not available</h2>
        <p>{gpu.message}</p>
        <p>
          Risotto Lab trains on your GPU through WebGPU. Use a recent Chrome or Edge (version 113 or later) on Windows, macOS or ChromeOS,
          or Safari 26+; on Linux start Chromium with <code>--enable-unsafe-webgpu</code> (and <code>--enable-features=Vulkan</code>).
          Nothing you entered is lost: reload once WebGPU is on.
        </p>
      </section>
    );
  }
  if (gpu.status === 'lost') {
    return (
      <p data-testid="gpu-status" className="gpu-lost" role="alert">
        GPU device lost: {gpu.message}
      </p>
    );
  }
  const { adapter, selfCheckError } = gpu.info;
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' · ') || 'unknown adapter';
  return (
    <p data-testid="gpu-status" data-ok={selfCheckError < 1e-5 ? 'true' : 'false'} className="gpu-ok">
      <span data-testid="adapter-name">GPU: {name}</span>
      {adapter.isSoftware ? <span className="warn"> (software renderer: slow, correctness only)</span> : null}
      <span data-testid="self-check" className="muted">
        {' '}
        · kernel self-check max error {selfCheckError.toExponential(1)}
      </span>
    </p>
  );
}
