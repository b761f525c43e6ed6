// The ResNet the schemes are compared on: preset depth or custom blocks per stage and
// block type, stem, base width, skip type, BatchNorm, and what that costs (params, FLOPs per example).
import { useId } from 'react';
import { RESNET_PRESETS, type ResNetPresetName, blocksOf, blockTypeOf, type ModelChoice } from '../../lab';
import { useLabStore } from '../store';
import { fieldText, listRule, numberRule } from './fieldRules';
import { formatCompact } from './format';
import type { ModelInfo } from './modelInfo';
import { IntListField, NumberField } from './NumberField';

const PRESETS = Object.keys(RESNET_PRESETS) as ResNetPresetName[];
const presetLabel = (p: ResNetPresetName) =>
  `${p.replace('resnet', 'ResNet-')} (${RESNET_PRESETS[p].blocksPerStage.join(',')}${RESNET_PRESETS[p].block === 'bottleneck' ? ', bottleneck' : ''})`;

export function ModelFields({ info }: { info: ModelInfo }) {
  const presetId = useId();
  const skipId = useId();
  const blockId = useId();
  const stemId = useId();
  const model = useLabStore((s) => s.experiment.model);
  const setExperiment = useLabStore((s) => s.setExperiment);
  const set = (m: Partial<ModelChoice>) => setExperiment((e) => ({ ...e, model: { ...e.model, ...m } }));
  const setPreset = (preset: ModelChoice['preset']) =>
    // Custom starts from the current depth, so switching does not jump the network.
    set(
      preset === 'custom'
        ? { preset, blocksPerStage: blocksOf(model), block: blockTypeOf(model) }
        : { preset, blocksPerStage: [...RESNET_PRESETS[preset].blocksPerStage], block: RESNET_PRESETS[preset].block ?? 'basic' },
    );
  return (
    <fieldset className="group">
      <legend>Model</legend>
      <div className="field">
        <label htmlFor={presetId}>Preset</label>
        <select id={presetId} value={model.preset} onChange={(e) => setPreset(e.target.value as ModelChoice['preset'])}>
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {presetLabel(p)}
            </option>
          ))}
          <option value="custom">Custom</option>
        </select>
      </div>
      {model.preset === 'custom' ? (
        <IntListField
          {...listRule('blocks')}
          what="blocks per stage"
          value={model.blocksPerStage}
          onChange={(blocksPerStage) => set({ blocksPerStage })}
        />
      ) : null}
      {model.preset === 'custom' ? (
        <div className="field">
          <label htmlFor={blockId} title={fieldText('blk').title}>
            {fieldText('blk').label}
          </label>
          <select id={blockId} value={model.block} onChange={(e) => set({ block: e.target.value as ModelChoice['block'] })}>
            <option value="basic">Basic (3×3, 3×3)</option>
            <option value="bottleneck">Bottleneck (1×1, 3×3, 1×1; 4× wider out)</option>
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={stemId} title={fieldText('stem').title}>
          {fieldText('stem').label}
        </label>
        <select id={stemId} value={model.stem} onChange={(e) => set({ stem: e.target.value as ModelChoice['stem'] })}>
          <option value="cifar">CIFAR (3×3 conv)</option>
          <option value="imagenet">ImageNet (7×7 stride 2 + max-pool)</option>
        </select>
      </div>
      <NumberField {...numberRule('w')} value={model.width} onChange={(width) => set({ width })} />
      <div className="field">
        <label htmlFor={skipId} title={fieldText('skip').title}>
          {fieldText('skip').label}
        </label>
        <select id={skipId} value={model.skip} onChange={(e) => set({ skip: e.target.value as ModelChoice['skip'] })}>
          <option value="B">Type B (identity)</option>
          <option value="C">Type C (all 1×1 conv)</option>
        </select>
      </div>
      <label className="check" title={fieldText('bn').title}>
        <input type="checkbox" checked={model.batchNorm} onChange={(e) => set({ batchNorm: e.target.checked })} />
        {fieldText('bn').label}
      </label>
      <p className="field-note field-wide" data-testid="model-stats">
        {info.params !== undefined && info.flops !== undefined ? (
          <>
            <strong>{formatCompact(info.params)}</strong> params · <strong>{formatCompact(info.flops / 1e6)}</strong> MFLOPs/example
            {info.statsFor ? <span className="muted"> ({info.statsFor})</span> : null}
          </>
        ) : (
          <span className="muted">Size unknown until the model is valid.</span>
        )}
      </p>
    </fieldset>
  );
}
