// Bench-only profiler: where a compiled program's time goes, per kernel. The program is
// encoded into a stand-in encoder that keeps its commands; each command is then replayed
// in its own submit and timed by wall clock and by this process's CPU time (a submit
// round trip costs ~0.06 ms here, far below one software-rasterised dispatch). No engine
// code changes.

import type { RecordedProgram } from '../src/gpu/recorder';

type Command = (enc: GPUCommandEncoder) => void;

interface Captured {
  name: string;
  dispatch: boolean;
  run: Command;
}

/** Records what a RecordedProgram encodes: one command per dispatch, copy or clear. */
function capture(program: RecordedProgram): Captured[] {
  const out: Captured[] = [];
  let pipeline: GPUComputePipeline | undefined;
  let bindGroup: GPUBindGroup | undefined;
  const pass = {
    setPipeline: (p: GPUComputePipeline) => void (pipeline = p),
    setBindGroup: (_i: number, g: GPUBindGroup) => void (bindGroup = g),
    dispatchWorkgroups: (x: number, y = 1, z = 1) => {
      const [p, g] = [pipeline!, bindGroup!];
      out.push({
        name: p.label || 'unlabelled',
        dispatch: true,
        run: (enc) => {
          const ps = enc.beginComputePass();
          ps.setPipeline(p);
          ps.setBindGroup(0, g);
          ps.dispatchWorkgroups(x, y, z);
          ps.end();
        },
      });
    },
    end: () => undefined,
  };
  const encoder = {
    beginComputePass: () => pass,
    copyBufferToBuffer: (src: GPUBuffer, so: number, dst: GPUBuffer, d: number, size: number) =>
      out.push({ name: 'copyBufferToBuffer', dispatch: false, run: (enc) => enc.copyBufferToBuffer(src, so, dst, d, size) }),
    clearBuffer: (b: GPUBuffer, o?: number, size?: number) =>
      out.push({ name: 'clearBuffer', dispatch: false, run: (enc) => enc.clearBuffer(b, o, size) }),
  };
  program.encode(encoder as unknown as GPUCommandEncoder);
  return out;
}

export interface KernelTime {
  name: string;
  count: number;
  /** Wall ms, summed over the kernel's dispatches. */
  ms: number;
  /** Process CPU ms (all threads, so SwiftShader's workers too), summed likewise. */
  cpuMs: number;
}

export interface CommandTime {
  name: string;
  dispatch: boolean;
  ms: number;
  cpuMs: number;
}

/** Time of each command of one replay of `program`, in program order (the fastest of
 * `repeats` replays per command). */
export async function profileCommands(device: GPUDevice, program: RecordedProgram, repeats = 1): Promise<CommandTime[]> {
  const commands = capture(program);
  const times = commands.map((c) => ({ name: c.name, dispatch: c.dispatch, ms: Infinity, cpuMs: Infinity }));
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < commands.length; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const enc = device.createCommandEncoder();
      commands[i].run(enc);
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      const c = process.cpuUsage(c0);
      times[i].ms = Math.min(times[i].ms, performance.now() - t0);
      times[i].cpuMs = Math.min(times[i].cpuMs, (c.user + c.system) / 1000);
    }
  }
  return times;
}

/** Command times summed per kernel name, largest CPU time first. */
export function byKernel(times: readonly CommandTime[]): KernelTime[] {
  const byName = new Map<string, KernelTime>();
  for (const t of times) {
    const k = byName.get(t.name) ?? { name: t.name, count: 0, ms: 0, cpuMs: 0 };
    k.count += 1;
    k.ms += t.ms;
    k.cpuMs += t.cpuMs;
    byName.set(t.name, k);
  }
  return [...byName.values()].sort((a, b) => b.cpuMs - a.cpuMs);
}
