// Float64 reference for the loss head: mean softmax cross-entropy with its logits
// gradient (also mixup's two-label form), row argmax (first max on ties) and the correct-prediction count.
// Same parameter meaning as the GPU kernels; used by tests and the validate mode only.

export interface CrossEntropyResult {
  loss: number;
  dlogits: Float64Array;
}

/** logits [n, k] row-major. A label outside [0, k) makes the loss and that row of dlogits NaN,
 * as on the GPU. */
export function softmaxCrossEntropy(logits: ArrayLike<number>, labels: ArrayLike<number>, n: number, k: number): CrossEntropyResult {
  const dlogits = new Float64Array(n * k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const base = i * k;
    const y = labels[i];
    const valid = Number.isInteger(y) && y >= 0 && y < k;
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, logits[base + j]);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(logits[base + j] - m);
    for (let j = 0; j < k; j++) {
      dlogits[base + j] = valid ? (Math.exp(logits[base + j] - m) / s - (j === y ? 1 : 0)) / n : NaN;
    }
    total += valid ? Math.log(s) - (logits[base + y] - m) : NaN;
  }
  return { loss: total / n, dlogits };
}

/** Mixup's loss: the batch mean of weight * CE(labels) + (1 - weight) * CE(second), and
 * its logits gradient (softmax - weight * onehot(labels) - (1 - weight) * onehot(second)) / n. */
export function mixedCrossEntropy(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  second: ArrayLike<number>,
  weight: number,
  n: number,
  k: number,
): CrossEntropyResult {
  const a = softmaxCrossEntropy(logits, labels, n, k);
  const b = softmaxCrossEntropy(logits, second, n, k);
  return { loss: weight * a.loss + (1 - weight) * b.loss, dlogits: a.dlogits.map((g, i) => weight * g + (1 - weight) * b.dlogits[i]) };
}

export function argmax(logits: ArrayLike<number>, n: number, k: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (logits[i * k + j] > logits[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}

export function correctCount(logits: ArrayLike<number>, labels: ArrayLike<number>, n: number, k: number): number {
  const pred = argmax(logits, n, k);
  let c = 0;
  for (let i = 0; i < n; i++) if (pred[i] === labels[i]) c++;
  return c;
}
