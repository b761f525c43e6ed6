// Optimizer and learning-rate schedule: kind, rate and the kind's own hyperparameters,
// schedule shape and warmup. Only the fields of the chosen kinds are shown.
import { useId } from 'react';
import {
  LR_SCHEDULE_KINDS,
  OPTIMIZER_KINDS,
  optimizerDefaults,
  type LrSchedule,
  type OptimizerConfig,
  type OptimizerKind,
} from '../../lab';
import { useLabStore } from '../store';
import { scheduleOfKind, withOptimizerKind } from './experimentEdits';
import { listRule, numberRule } from './fieldRules';
import { IntListField, NumberField, OptionalNumberField } from './NumberField';

const OPTIMIZER_LABELS: Record<OptimizerKind, string> = { sgd: 'SGD', 'sgd-nesterov': 'SGD Nesterov', adamw: 'AdamW', adam: 'Adam' };
const SCHEDULE_LABELS: Record<LrSchedule['kind'], string> = { constant: 'Constant', step: 'Step decay', cosine: 'Cosine' };

function withScalarLr(o: OptimizerConfig, scalarLr: number | undefined): OptimizerConfig {
  const { scalarLr: _old, ...rest } = o;
  return scalarLr === undefined ? rest : { ...rest, scalarLr };
}

function withClip(o: OptimizerConfig, clipNorm: number | undefined): OptimizerConfig {
  const { clipNorm: _old, ...rest } = o;
  return clipNorm === undefined ? rest : { ...rest, clipNorm };
}

export function OptimizerFields() {
  const optId = useId();
  const schedId = useId();
  const o = useLabStore((s) => s.experiment.optimizer);
  const schedule = useLabStore((s) => s.experiment.schedule);
  const warmupSteps = useLabStore((s) => s.experiment.warmupSteps);
  const setExperiment = useLabStore((s) => s.setExperiment);
  const setOpt = (p: Partial<OptimizerConfig>) => setExperiment((e) => ({ ...e, optimizer: { ...e.optimizer, ...p } }));
  const setSchedule = (p: Partial<LrSchedule>) => setExperiment((e) => ({ ...e, schedule: { ...e.schedule, ...p } as LrSchedule }));
  const d = optimizerDefaults(o.kind) as Partial<Record<'momentum' | 'weightDecay' | 'beta1' | 'beta2' | 'eps', number>>;
  const sgd = o.kind === 'sgd' || o.kind === 'sgd-nesterov';
  return (
    <fieldset className="group">
      <legend>Optimizer</legend>
      <div className="field">
        <label htmlFor={optId}>Optimizer</label>
        <select id={optId} value={o.kind} onChange={(e) => setExperiment((x) => withOptimizerKind(x, e.target.value as OptimizerKind))}>
          {OPTIMIZER_KINDS.map((k) => (
            <option key={k} value={k}>
              {OPTIMIZER_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <NumberField {...numberRule('lr')} value={o.lr} onChange={(lr) => setOpt({ lr })} />
      {sgd ? (
        <NumberField {...numberRule('mom')} value={o.momentum ?? d.momentum ?? 0} onChange={(momentum) => setOpt({ momentum })} />
      ) : (
        <>
          <NumberField {...numberRule('b1')} value={o.beta1 ?? d.beta1 ?? 0.9} onChange={(beta1) => setOpt({ beta1 })} />
          <NumberField {...numberRule('b2')} value={o.beta2 ?? d.beta2 ?? 0.999} onChange={(beta2) => setOpt({ beta2 })} />
          <NumberField {...numberRule('eps')} value={o.eps ?? d.eps ?? 1e-8} onChange={(eps) => setOpt({ eps })} />
        </>
      )}
      <NumberField {...numberRule('wd')} value={o.weightDecay ?? d.weightDecay ?? 0} onChange={(weightDecay) => setOpt({ weightDecay })} />
      <OptionalNumberField
        {...numberRule('clip')}
        placeholder="off"
        value={o.clipNorm}
        onChange={(clipNorm) => setExperiment((e) => ({ ...e, optimizer: withClip(e.optimizer, clipNorm) }))}
      />
      <OptionalNumberField
        {...numberRule('slr')}
        placeholder="scheme"
        value={o.scalarLr}
        onChange={(scalarLr) => setExperiment((e) => ({ ...e, optimizer: withScalarLr(e.optimizer, scalarLr) }))}
      />
      <label className="check" title="Weight decay on the scalar parameters too (off: none, as some Fixup runs do)">
        <input
          type="checkbox"
          checked={o.scalarWeightDecay !== false}
          onChange={(e) => setOpt({ scalarWeightDecay: e.target.checked ? undefined : false })}
        />
        Decay scalars
      </label>
      <div className="field">
        <label htmlFor={schedId}>LR schedule</label>
        <select
          id={schedId}
          value={schedule.kind}
          onChange={(e) => setExperiment((x) => ({ ...x, schedule: scheduleOfKind(e.target.value as LrSchedule['kind'], x.steps) }))}
        >
          {LR_SCHEDULE_KINDS.map((k) => (
            <option key={k} value={k}>
              {SCHEDULE_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      {schedule.kind === 'step' ? (
        <>
          <IntListField
            {...listRule('ms')}
            lengths={undefined}
            what="milestones"
            value={schedule.milestones}
            onChange={(milestones) => setSchedule({ milestones })}
          />
          <NumberField {...numberRule('gamma')} value={schedule.gamma} onChange={(gamma) => setSchedule({ gamma })} />
        </>
      ) : null}
      {schedule.kind === 'cosine' ? (
        <>
          <NumberField {...numberRule('total')} value={schedule.totalSteps} onChange={(totalSteps) => setSchedule({ totalSteps })} />
          <OptionalNumberField
            {...numberRule('minlr')}
            placeholder="0"
            value={schedule.minLr}
            onChange={(minLr) => setSchedule({ minLr })}
          />
        </>
      ) : null}
      <NumberField {...numberRule('warm')} value={warmupSteps} onChange={(w) => setExperiment((e) => ({ ...e, warmupSteps: w }))} />
    </fieldset>
  );
}
