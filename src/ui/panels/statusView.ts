// The status bar's text from a snapshot: phase in words, progress, rates, memory and the
// adapter's name. Pure, so the wording per phase is tested.
import type { ComparisonPhase, ComparisonSnapshot, KernelChoiceSummary } from '../../lab';
import { formatCompact, formatDuration, formatMegabytes } from './format';

const PHASE_LABELS: Record<ComparisonPhase, string> = {
  idle: 'Ready',
  compiling: 'Compiling shaders…',
  running: 'Training',
  paused: 'Paused',
  finished: 'Finished',
  stopped: 'Stopped',
};

export interface StatusView {
  phase: ComparisonPhase;
  phaseLabel: string;
  step: number;
  total: number;
  /** 0..1 */
  fraction: number;
  progress: string;
  eta: string;
  rates: string;
  memory: string;
  /** Empty unless the device was lost and training resumed from a checkpoint. */
  recovered: string;
  /** How the kernels were chosen (tuned or fixed); empty before the runs are compiled. */
  kernels: string;
}

export function statusView(s: ComparisonSnapshot | undefined, plannedSteps: number): StatusView {
  const phase = s?.phase ?? 'idle';
  const step = s?.step ?? 0;
  const total = s?.totalSteps ?? plannedSteps;
  const fraction = total > 0 ? Math.min(1, Math.max(0, step / total)) : 0;
  const running = phase === 'running';
  return {
    phase,
    // Before the first step and while diagnostics are measured, what is being done.
    phaseLabel: s?.activity ? s.activity[0].toUpperCase() + s.activity.slice(1) : (PHASE_LABELS[phase] ?? phase),
    step,
    total,
    fraction,
    progress: `${step} / ${total}`,
    // A rate from before a pause says nothing about when a paused run ends.
    eta: running ? formatDuration(s?.etaSeconds) : '–',
    rates:
      s && s.stepsPerSecond > 0 ? `${formatCompact(s.stepsPerSecond)} steps/s · ${formatCompact(s.imagesPerSecond)} img/s` : '– steps/s',
    memory: s ? formatMegabytes(s.gpuBytesInUse) : '–',
    recovered: s?.recoveredAt?.length ? `resumed after GPU loss at step ${s.recoveredAt.join(', ')}` : '',
    kernels: kernelsText(s?.kernels),
  };
}

/** "kernels tuned: 9 shapes, 9 timed", "... 0 timed (9 kept from earlier)", "kernels fixed (tuning off)". */
function kernelsText(k: KernelChoiceSummary | undefined): string {
  if (!k) return '';
  if (!k.tuning) return 'kernels fixed (tuning off)';
  const shapes = `${k.shapes} shape${k.shapes === 1 ? '' : 's'}`;
  return `kernels tuned: ${shapes}, ${k.timed} timed${k.timed < k.shapes ? ` (${k.shapes - k.timed} kept from earlier)` : ''}`;
}

/** "NVIDIA · ampere · …" from the adapter's fields that are set. */
export function adapterName(a: { vendor: string; architecture: string; description: string; device?: string } | undefined): string {
  if (!a) return 'no GPU';
  return [a.vendor, a.architecture, a.description || a.device].filter(Boolean).join(' · ') || 'unknown adapter';
}
