// A WebGPU device from navigator.gpu (page or Worker), with the message to show when
// the browser has none.
import { acquireDevice, type GpuContext } from '../engine';

const BROWSER_HINT = 'Use a recent Chrome or Edge (113+), or Safari 26+; on Linux start Chromium with --enable-unsafe-webgpu.';

export function acquireBrowserDevice(gpu: GPU | undefined): Promise<GpuContext> {
  return acquireDevice(gpu, { installHint: BROWSER_HINT });
}
