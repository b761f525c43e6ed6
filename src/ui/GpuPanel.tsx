// The adapter the lab runs on, the kernel self-check and the "Tune kernels" setting, or a
// clear page saying how to get WebGPU when it is missing.
import { useContext } from 'react';
import { LabContext } from './labContext';
import { isBusy } from './panels/controlState';
import { useLabStore } from './store';
import { tuningNote, useTuning } from './tuningSetting';

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
      <TuningSwitch isSoftware={adapter.isSoftware} />
    </p>
  );
}

/** Kernel tuning on or off for the runs started next (not while one compiles or trains). */
function TuningSwitch({ isSoftware }: { isSoftware: boolean }) {
  const actions = useContext(LabContext);
  const { on, stored } = useTuning();
  const busy = useLabStore((s) => isBusy(s.snapshot?.phase));
  if (!actions || on === undefined) return null;
  return (
    <span className="tuning-setting">
      {' · '}
      <label title="Before the first step, time each convolution shape's kernel variants on this GPU and use the fastest; choices are kept in this browser per GPU. Off: the fixed default kernels, for reproducible timings.">
        <input
          type="checkbox"
          data-testid="tune-kernels"
          checked={on}
          disabled={busy}
          onChange={(e) => actions.setTuning(e.target.checked)}
        />{' '}
        Tune kernels
      </label>{' '}
      <span className="muted" data-testid="tuning-note">
        ({tuningNote({ isSoftware }, on, stored)})
      </span>
    </span>
  );
}
