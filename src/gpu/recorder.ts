// Batches many dispatches (and buffer copies) into one command buffer and one submit.
// `submit()` runs the batch once; `record()` bakes pipelines, bind groups and uniforms
// into a RecordedProgram that can be replayed every training step at no CPU cost
// beyond encoding.

import type { BufferPool } from './bufferPool';
import { pipelineSource, storageEntries, validateDispatch, type Dispatch } from './kernel';
import type { PipelineCache } from './pipelineCache';
import type { KernelSink, VariantChooser } from './sink';
import { packUniforms, planUniforms } from './uniforms';
import { BufferUsage } from './usage';

type Item =
  | { kind: 'dispatch'; d: Dispatch }
  | { kind: 'copy'; src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: number; size: number }
  | { kind: 'clear'; buffer: GPUBuffer; offset: number; size?: number };

type BakedItem =
  | {
      kind: 'dispatch';
      pipeline: GPUComputePipeline;
      bindGroup: GPUBindGroup;
      workgroups: [number, number, number];
      /** The kernel's name and FLOPs, for a timed encode (profile). */
      name: string;
      flops?: number;
    }
  | Exclude<Item, { kind: 'dispatch' }>;

export interface RecorderContext {
  device: GPUDevice;
  pipelines: PipelineCache;
  pool: BufferPool;
  limits: GPUSupportedLimits;
}

export type { KernelSink } from './sink';

export class CommandRecorder implements KernelSink {
  private items: Item[] = [];
  private scratchBuffers: GPUBuffer[] = [];

  constructor(
    private readonly ctx: RecorderContext,
    readonly tuner?: VariantChooser,
  ) {}

  get length(): number {
    return this.items.length;
  }

  dispatch(d: Dispatch): void {
    validateDispatch(d, this.ctx.limits.maxComputeWorkgroupsPerDimension);
    // Pack once now so a bad value fails at the call site, not at record time.
    if (d.kernel.uniform) packUniforms(d.kernel.uniform.layout, d.uniforms!);
    if ((d.workgroups[0] ?? 1) * (d.workgroups[1] ?? 1) * (d.workgroups[2] ?? 1) === 0) return;
    this.items.push({ kind: 'dispatch', d });
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    this.items.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
  }

  clear(buffer: GPUBuffer, offset = 0, size?: number): void {
    this.items.push({ kind: 'clear', buffer, offset, size });
  }

  scratch(bytes: number, label = 'scratch'): GPUBuffer {
    const b = this.ctx.pool.acquire(bytes, undefined, label);
    this.scratchBuffers.push(b);
    return b;
  }

  /** The dispatches recorded so far, e.g. to warm their pipelines asynchronously. */
  dispatches(): Dispatch[] {
    return this.items.flatMap((i) => (i.kind === 'dispatch' ? [i.d] : []));
  }

  /** Encodes and submits everything recorded, then empties the recorder. */
  submit(): void {
    const program = this.record();
    program.run();
    program.destroy();
  }

  /** Bakes what was recorded into a replayable program and empties the recorder. */
  record(label = 'program'): RecordedProgram {
    const { device, pipelines, pool } = this.ctx;
    const align = this.ctx.limits.minUniformBufferOffsetAlignment;
    const offsets: number[] = [];
    let total = 0;
    for (const item of this.items) {
      if (item.kind !== 'dispatch' || !item.d.kernel.uniform) continue;
      offsets.push(total);
      total += Math.ceil(planUniforms(item.d.kernel.uniform.layout).byteSize / align) * align;
    }
    let uniformBuffer: GPUBuffer | undefined;
    if (total > 0) {
      const host = new ArrayBuffer(total);
      let u = 0;
      for (const item of this.items) {
        if (item.kind === 'dispatch' && item.d.kernel.uniform)
          packUniforms(item.d.kernel.uniform.layout, item.d.uniforms!, host, offsets[u++]);
      }
      uniformBuffer = pool.acquire(total, BufferUsage.UNIFORM | BufferUsage.COPY_DST, `${label}:uniforms`);
      device.queue.writeBuffer(uniformBuffer, 0, host);
    }
    let u = 0;
    const baked: BakedItem[] = this.items.map((item) => {
      if (item.kind !== 'dispatch') return item;
      const { kernel, workgroups } = item.d;
      const pipeline = pipelines.getSync(pipelineSource(kernel));
      const entries = storageEntries(item.d);
      if (kernel.uniform) {
        const size = planUniforms(kernel.uniform.layout).byteSize;
        entries.push({ binding: kernel.uniform.binding, resource: { buffer: uniformBuffer!, offset: offsets[u++], size } });
      }
      const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries, label: kernel.name });
      return {
        kind: 'dispatch',
        pipeline,
        bindGroup,
        workgroups: [workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1],
        name: kernel.name,
        flops: item.d.flops,
      };
    });
    const owned = uniformBuffer ? [uniformBuffer, ...this.scratchBuffers] : this.scratchBuffers;
    this.items = [];
    this.scratchBuffers = [];
    return new RecordedProgram(device, pool, baked, owned, label);
  }
}

/** Hands out the timestamp slots of each dispatch's pass (profile.ts). */
export interface DispatchTimer {
  next(name: string, flops: number | undefined): GPUComputePassTimestampWrites;
}

export class RecordedProgram {
  private destroyed = false;

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    private readonly items: BakedItem[],
    /** Uniform and scratch buffers released to the pool by destroy(). */
    private readonly owned: GPUBuffer[],
    readonly label: string,
  ) {}

  get dispatchCount(): number {
    return this.items.filter((i) => i.kind === 'dispatch').length;
  }

  /** Encodes the program into `encoder` (several programs can share one submit). With a
   * `timer`, every dispatch gets a compute pass of its own whose start and end the GPU
   * timestamps (the same commands in the same order: the results do not change). */
  encode(encoder: GPUCommandEncoder, timer?: DispatchTimer): void {
    if (this.destroyed) throw new Error(`program "${this.label}" was destroyed`);
    let pass: GPUComputePassEncoder | undefined;
    for (const item of this.items) {
      if (item.kind === 'dispatch') {
        if (timer) {
          pass?.end();
          pass = encoder.beginComputePass({ label: item.name, timestampWrites: timer.next(item.name, item.flops) });
        }
        pass ??= encoder.beginComputePass({ label: this.label });
        pass.setPipeline(item.pipeline);
        pass.setBindGroup(0, item.bindGroup);
        pass.dispatchWorkgroups(...item.workgroups);
        continue;
      }
      pass?.end();
      pass = undefined;
      if (item.kind === 'copy') encoder.copyBufferToBuffer(item.src, item.srcOffset, item.dst, item.dstOffset, item.size);
      else encoder.clearBuffer(item.buffer, item.offset, item.size);
    }
    pass?.end();
  }

  run(): void {
    const encoder = this.device.createCommandEncoder({ label: this.label });
    this.encode(encoder);
    this.device.queue.submit([encoder.finish()]);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of this.owned) this.pool.release(b);
  }
}
