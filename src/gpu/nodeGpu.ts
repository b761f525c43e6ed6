// WebGPU in Node through the `webgpu` package (Dawn). Picks a Vulkan driver when none
// is configured. Only tests, the CLI and benches import this; never the browser bundle.

import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDevice, type AcquireOptions, type GpuContext } from './device';
import { fileTuneStore, tuningFromEnv } from './nodeTuneStore';

/** Software Vulkan drivers known to work with Dawn, best first. */
const ICD_CANDIDATES = ['/usr/share/vulkan/icd.d/lvp_icd.json', '/usr/lib/chromium/vk_swiftshader_icd.json'];

export const NODE_INSTALL_HINT =
  'In Node, WebGPU needs a Vulkan driver: on Debian run `apt-get install -y chromium libvulkan1` ' +
  '(SwiftShader, /usr/lib/chromium/vk_swiftshader_icd.json) or point VK_ICD_FILENAMES at a working ICD ' +
  '(Mesa lavapipe >= 25 also works).';

function configureVulkanEnv(): void {
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = join(tmpdir(), 'risotto-xdg');
    mkdirSync(dir, { recursive: true });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  if (process.env.VK_ICD_FILENAMES) return;
  // Mesa 22's lavapipe is refused by Dawn; only prefer lavapipe when explicitly allowed.
  const candidates = process.env.RISOTTO_PREFER_LAVAPIPE ? ICD_CANDIDATES : ICD_CANDIDATES.slice(1);
  const found = candidates.find((p) => existsSync(p));
  if (found) process.env.VK_ICD_FILENAMES = found;
}

let gpuObject: GPU | undefined;

export async function createNodeGpu(): Promise<GPU> {
  if (gpuObject) return gpuObject;
  configureVulkanEnv();
  const webgpu = await import('webgpu');
  Object.assign(globalThis, webgpu.globals);
  gpuObject = webgpu.create([]);
  return gpuObject;
}

/** A device in Node; kernel tuning per RISOTTO_TUNE (see tuningFromEnv) with choices
 * cached in a JSON file (see defaultTuneCachePath), unless `tuning` says otherwise. */
export async function acquireNodeDevice(tuning?: AcquireOptions['tuning']): Promise<GpuContext> {
  return acquireDevice(await createNodeGpu(), { installHint: NODE_INSTALL_HINT, tuning: tuning ?? nodeTuning() });
}

function nodeTuning(): NonNullable<AcquireOptions['tuning']> {
  return { enabled: tuningFromEnv(), store: fileTuneStore() };
}
