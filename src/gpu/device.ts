// Device acquisition from any `GPU` object (navigator.gpu in a page or Worker, or
// the `webgpu` package in Node, see nodeGpu.ts). Requests the adapter's real limits
// and wires device loss and uncaptured errors to typed events.

import { BufferPool } from './bufferPool';
import { classifyGpuError, GpuEvents } from './events';
import { PipelineCache } from './pipelineCache';
import { KernelTuner, type TuneStore } from './tuner';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software rasterisers (SwiftShader, lavapipe): correctness only, slow. */
  isSoftware: boolean;
}

export interface GpuContext {
  device: GPUDevice;
  adapter: AdapterSummary;
  limits: GPUSupportedLimits;
  features: ReadonlySet<string>;
  pool: BufferPool;
  pipelines: PipelineCache;
  /** Per-adapter kernel choice (off: every kernel runs its fixed default). */
  tuner: KernelTuner;
  events: GpuEvents;
  destroy(): void;
}

class WebGpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

export interface AcquireOptions {
  powerPreference?: GPUPowerPreference;
  /** Text appended to "no adapter" errors, e.g. what to install in this environment. */
  installHint?: string;
  /** Time kernel variants per shape and keep the fastest (default off: fixed defaults,
   * reproducible); choices persist in `store` when given. */
  tuning?: { enabled: boolean; store?: TuneStore };
}

const LIMIT_NAMES = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
  'maxUniformBufferBindingSize',
] as const;

export async function acquireDevice(gpu: GPU | undefined, options: AcquireOptions = {}): Promise<GpuContext> {
  const hint = options.installHint ? ` ${options.installHint}` : '';
  if (!gpu) throw new WebGpuUnavailableError(`WebGPU is not available (no navigator.gpu).${hint}`);
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError(`WebGPU adapter request returned null.${hint}`);

  const requiredLimits: Record<string, number> = {};
  for (const name of LIMIT_NAMES) requiredLimits[name] = adapter.limits[name];
  const wanted: GPUFeatureName[] = ['timestamp-query'];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });

  const events = new GpuEvents();
  let destroyed = false;
  device.lost.then((info) => {
    if (!destroyed) events.emit({ type: 'device-lost', reason: String(info.reason), message: info.message });
  });
  device.onuncapturederror = (e: GPUUncapturedErrorEvent) => events.emit(classifyGpuError(e.error));

  const pool = new BufferPool(device);
  const pipelines = new PipelineCache(device);
  const summary = summarizeAdapter(adapter.info);
  const tuning = options.tuning ?? { enabled: false };
  return {
    device,
    adapter: summary,
    limits: device.limits,
    features: new Set([...device.features] as string[]),
    pool,
    pipelines,
    tuner: new KernelTuner(
      { device, pool, pipelines, limits: device.limits },
      { ...tuning, adapter: adapterKey(summary), software: summary.isSoftware },
    ),
    events,
    destroy() {
      destroyed = true;
      pool.destroy();
      device.destroy();
    },
  };
}

/** What identifies an adapter for cached kernel choices. */
function adapterKey(a: AdapterSummary): string {
  return [a.vendor, a.architecture, a.device, a.description].join('|');
}

function summarizeAdapter(info: GPUAdapterInfo | undefined): AdapterSummary {
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const dev = info?.device ?? '';
  const description = info?.description ?? '';
  const text = `${vendor} ${architecture} ${dev} ${description}`.toLowerCase();
  return {
    vendor,
    architecture,
    device: dev,
    description,
    isSoftware: /swiftshader|llvmpipe|lavapipe|software/.test(text),
  };
}
