// Which control buttons a comparison phase allows, and why Run is off: one pure table so
// the buttons, the form's lock and their tests agree. No React.
import type { ComparisonPhase } from '../../lab';

/** The form is locked while the Worker holds the experiment. */
export function isBusy(phase: ComparisonPhase | undefined): boolean {
  return phase === 'compiling' || phase === 'running' || phase === 'paused';
}

export interface ControlState {
  run: boolean;
  /** Why Run is off, for its tooltip and the line beside the buttons. */
  runReason?: string;
  pause: boolean;
  resume: boolean;
  stop: boolean;
  reset: boolean;
}

export function controlState(phase: ComparisonPhase | undefined, errors: readonly string[], gpuReady: boolean): ControlState {
  const busy = isBusy(phase);
  let runReason: string | undefined;
  if (busy) runReason = 'a comparison is running: stop it first';
  else if (!gpuReady) runReason = 'no usable GPU device';
  else if (errors.length) runReason = `fix the experiment first: ${errors[0]}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`;
  return {
    run: runReason === undefined,
    runReason,
    pause: phase === 'running',
    resume: phase === 'paused',
    // Stopping while compiling is allowed: a long shader compile should not trap the user.
    stop: busy,
    reset: !busy,
  };
}
