// Compute pipeline cache keyed by shader text + entry point + override constants.
// Async compilation (createComputePipelineAsync) for warm-up; a synchronous path for
// the first use of a kernel nobody warmed up.

export interface PipelineKeySource {
  code: string;
  entryPoint?: string;
  constants?: Readonly<Record<string, number>>;
  label?: string;
}

function pipelineKey(src: PipelineKeySource): string {
  const consts = src.constants
    ? Object.keys(src.constants)
        .sort()
        .map((k) => `${k}=${src.constants![k]}`)
        .join(',')
    : '';
  return `${src.entryPoint ?? 'main'}|${consts}|${src.code}`;
}

/** Pipelines compiled at once by `warm` unless told otherwise: all of them. In Chromium
 * that halves the time to the first step against one by one (bench/RESULTS.md). */
const DEFAULT_COMPILE_CONCURRENCY = Number.POSITIVE_INFINITY;

export class PipelineCache {
  private modules = new Map<string, GPUShaderModule>();
  private pipelines = new Map<string, GPUComputePipeline>();
  private pending = new Map<string, Promise<GPUComputePipeline>>();
  /** Milliseconds spent compiling, for the UI's "compiling shaders" phase. */
  compileMs = 0;

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  has(src: PipelineKeySource): boolean {
    return this.pipelines.has(pipelineKey(src));
  }

  getSync(src: PipelineKeySource): GPUComputePipeline {
    const key = pipelineKey(src);
    let p = this.pipelines.get(key);
    if (!p) {
      const t0 = performance.now();
      p = this.device.createComputePipeline(this.descriptor(src));
      this.compileMs += performance.now() - t0;
      this.pipelines.set(key, p);
    }
    return p;
  }

  async getAsync(src: PipelineKeySource): Promise<GPUComputePipeline> {
    const key = pipelineKey(src);
    const ready = this.pipelines.get(key);
    if (ready) return ready;
    let pending = this.pending.get(key);
    if (!pending) {
      const t0 = performance.now();
      pending = this.device.createComputePipelineAsync(this.descriptor(src)).then((p) => {
        this.compileMs += performance.now() - t0;
        this.pipelines.set(key, p);
        this.pending.delete(key);
        return p;
      });
      this.pending.set(key, pending);
    }
    return pending;
  }

  /** Compiles every source not yet compiled, `concurrency` at a time (the driver may
   * compile on several threads; too many at once thrash a small machine), reporting
   * each one done; resolves when all are ready. */
  async warm(
    sources: readonly PipelineKeySource[],
    onProgress?: (done: number, total: number) => void,
    concurrency = DEFAULT_COMPILE_CONCURRENCY,
  ): Promise<void> {
    const todo = new Map<string, PipelineKeySource>();
    for (const s of sources) {
      const key = pipelineKey(s);
      if (!this.pipelines.has(key)) todo.set(key, s);
    }
    const queue = [...todo.values()];
    let done = 0;
    onProgress?.(0, queue.length);
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        await this.getAsync(s);
        done += 1;
        onProgress?.(done, todo.size);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  }

  private descriptor(src: PipelineKeySource): GPUComputePipelineDescriptor {
    let module = this.modules.get(src.code);
    if (!module) {
      module = this.device.createShaderModule({ code: src.code, label: src.label });
      this.modules.set(src.code, module);
    }
    return {
      layout: 'auto',
      label: src.label,
      compute: { module, entryPoint: src.entryPoint ?? 'main', constants: src.constants as Record<string, number> },
    };
  }
}
