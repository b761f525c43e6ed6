// A WebGPU device from navigator.gpu (page or Worker), with the message to show when
// the browser has none. Kernel tuning starts off; the page turns it on or off
// (LabService.setTuning, the lab's "Tune kernels" setting), and tuned choices are kept
// in IndexedDB per adapter.
import { acquireDevice, idbTuneStore, type GpuContext } from '../engine';

const BROWSER_HINT = 'Use a recent Chrome or Edge (113+), or Safari 26+; on Linux start Chromium with --enable-unsafe-webgpu.';

export function acquireBrowserDevice(gpu: GPU | undefined): Promise<GpuContext> {
  return acquireDevice(gpu, { installHint: BROWSER_HINT, tuning: { enabled: false, store: idbTuneStore() } });
}
