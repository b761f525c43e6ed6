// Lifetime-based memory planning: each virtual buffer lives from the first to the last
// item that touches it; buffers whose lifetimes do not overlap share physical memory
// (best fit by size). Then the items are replayed into a real CommandRecorder.

import type { BufferPool } from '../../gpu';
import { CommandRecorder, type RecordedProgram, type RecorderContext, sizeClass, uploadArray } from '../../gpu';
import { asVirtual, itemBuffers, substitute, type PlanningSink, type VirtualBuffer } from './planningSink';

export interface MemoryPlan {
  /** Physical buffer index for each virtual buffer id. */
  assignment: number[];
  /** Byte size of each physical buffer. */
  physicalBytes: number[];
  /** Bytes if every virtual buffer had its own memory. */
  naiveBytes: number;
}

function planMemory(sink: PlanningSink): MemoryPlan {
  const first = new Array<number>(sink.virtuals.length).fill(-1);
  const last = new Array<number>(sink.virtuals.length).fill(-1);
  sink.items.forEach((item, i) => {
    for (const b of itemBuffers(item)) {
      const v = asVirtual(b);
      if (!v) continue;
      if (first[v.id] < 0) first[v.id] = i;
      last[v.id] = i;
    }
  });
  const startsAt = new Map<number, VirtualBuffer[]>();
  const endsAt = new Map<number, VirtualBuffer[]>();
  for (const v of sink.virtuals) {
    if (first[v.id] < 0 || v.init) continue; // never used, or a constant (memory of its own)
    startsAt.set(first[v.id], [...(startsAt.get(first[v.id]) ?? []), v]);
    endsAt.set(last[v.id], [...(endsAt.get(last[v.id]) ?? []), v]);
  }
  const assignment = new Array<number>(sink.virtuals.length).fill(-1);
  const physicalBytes: number[] = [];
  const free: number[] = [];
  for (let i = 0; i < sink.items.length; i++) {
    for (const v of startsAt.get(i) ?? []) {
      const need = sizeClass(v.size);
      // Best fit among free buffers; grow the largest free one rather than allocate anew.
      let best = -1;
      for (const p of free) if (physicalBytes[p] >= need && (best < 0 || physicalBytes[p] < physicalBytes[best])) best = p;
      if (best >= 0) free.splice(free.indexOf(best), 1);
      else {
        best = physicalBytes.length;
        physicalBytes.push(need);
      }
      assignment[v.id] = best;
    }
    // Freed only after item i, so a buffer is never both read and written by one dispatch.
    for (const v of endsAt.get(i) ?? []) free.push(assignment[v.id]);
  }
  const naiveBytes = sink.virtuals.reduce((s, v) => s + (first[v.id] < 0 ? 0 : sizeClass(v.size)), 0);
  return { assignment, physicalBytes, naiveBytes };
}

export interface PlannedProgram {
  program: RecordedProgram;
  plan: MemoryPlan;
  /** Physical buffers owned by this program; released by destroy(). */
  destroy(): void;
}

export function realize(ctx: RecorderContext & { pool: BufferPool }, sink: PlanningSink, label: string): PlannedProgram {
  const plan = planMemory(sink);
  const physical = plan.physicalBytes.map((bytes, i) => ctx.pool.acquire(bytes, undefined, `${label}:planned${i}`));
  const constants = new Map(
    sink.virtuals.flatMap((v) => (v.init ? [[v.id, uploadArray(ctx, v.init, `${label}:${v.label}`)] as const] : [])),
  );
  const map = (v: VirtualBuffer) => {
    const c = constants.get(v.id);
    if (c) return c;
    const p = plan.assignment[v.id];
    if (p < 0) throw new Error(`${label}: virtual buffer ${v.label} was never planned`);
    return physical[p];
  };
  const rec = new CommandRecorder(ctx);
  for (const item of sink.items) {
    if (item.kind === 'dispatch') {
      const buffers = Object.fromEntries(Object.entries(item.d.buffers).map(([name, b]) => [name, substitute(b, map)]));
      rec.dispatch({ ...item.d, buffers });
    } else if (item.kind === 'copy')
      rec.copy(substitute(item.src, map) as GPUBuffer, item.srcOffset, substitute(item.dst, map) as GPUBuffer, item.dstOffset, item.size);
    else rec.clear(substitute(item.buffer, map) as GPUBuffer, item.offset, item.size);
  }
  const program = rec.record(label);
  let destroyed = false;
  return {
    program,
    plan,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      program.destroy();
      for (const b of [...physical, ...constants.values()]) ctx.pool.release(b);
    },
  };
}
