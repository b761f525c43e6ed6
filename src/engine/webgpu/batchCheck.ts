// A training batch checked against the model it is for, before anything is written to
// the GPU: input size, batch size, labels in range, and a mixed batch only for a model
// built with mixup's loss (and always for one). Errors say what to change.

/** A mixed batch's second labels and the first labels' loss weight: the step's loss is
 * weight * CE(labels) + (1 - weight) * CE(second). */
export interface MixLabels {
  second: Uint32Array;
  weight: number;
}

export interface BatchShape {
  inputValues: number;
  batch: number;
  classes: number;
  mixup: boolean;
}

export function checkBatch(x: Float32Array, labels: Uint32Array, mix: MixLabels | undefined, model: BatchShape): void {
  if (x.length !== model.inputValues) throw new Error(`batch has ${x.length} values, the model expects ${model.inputValues}`);
  checkLabels(labels, 'labels', model);
  if (!model.mixup && mix)
    throw new Error('the batch is mixed (mixup) but the model was built without mixup; build it with buildResNet(..., { mixup: true })');
  if (model.mixup && !mix)
    throw new Error("the model was built with mixup's loss: pass the batch's second labels and weight (Batch.mix) with every step");
  if (mix) {
    checkLabels(mix.second, 'second labels', model);
    if (!(mix.weight >= 0 && mix.weight <= 1)) throw new Error(`mixup's loss weight must be in [0, 1], got ${mix.weight}`);
  }
}

function checkLabels(labels: Uint32Array, what: string, model: BatchShape): void {
  if (labels.length !== model.batch) throw new Error(`batch has ${labels.length} ${what}, the model expects ${model.batch}`);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= model.classes)
      throw new Error(`label ${labels[i]} at position ${i} of the ${what} is out of range for ${model.classes} classes`);
  }
}
