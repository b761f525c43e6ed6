// Float64 reference for BatchNorm2d over NCHW (PyTorch semantics): training forward with
// running-stat update, eval forward, backward. Straight loops for tests and validate mode.

export interface BatchNormShape {
  n: number;
  c: number;
  h: number;
  w: number;
}

export interface BatchNormTrainResult {
  y: Float64Array;
  savedMean: Float64Array;
  savedInvStd: Float64Array;
  runningMean: Float64Array;
  runningVar: Float64Array;
}

function channelValues(x: Float64Array, p: BatchNormShape, ch: number, fn: (v: number, i: number) => void): void {
  const hw = p.h * p.w;
  for (let ni = 0; ni < p.n; ni++) {
    const base = (ni * p.c + ch) * hw;
    for (let s = 0; s < hw; s++) fn(x[base + s], base + s);
  }
}

/** Returns new running stats; the inputs are not modified. */
export function batchNormTrainForward(
  x: Float64Array,
  gamma: Float64Array,
  beta: Float64Array,
  runningMean: Float64Array,
  runningVar: Float64Array,
  p: BatchNormShape & { eps: number; momentum: number },
): BatchNormTrainResult {
  const m = p.n * p.h * p.w;
  const y = new Float64Array(x.length);
  const savedMean = new Float64Array(p.c);
  const savedInvStd = new Float64Array(p.c);
  const rm = Float64Array.from(runningMean);
  const rv = Float64Array.from(runningVar);
  for (let ch = 0; ch < p.c; ch++) {
    let sum = 0;
    channelValues(x, p, ch, (v) => (sum += v));
    const mean = sum / m;
    let ss = 0;
    channelValues(x, p, ch, (v) => (ss += (v - mean) ** 2));
    const invStd = 1 / Math.sqrt(ss / m + p.eps);
    channelValues(x, p, ch, (v, i) => (y[i] = gamma[ch] * (v - mean) * invStd + beta[ch]));
    savedMean[ch] = mean;
    savedInvStd[ch] = invStd;
    rm[ch] = (1 - p.momentum) * rm[ch] + p.momentum * mean;
    rv[ch] = (1 - p.momentum) * rv[ch] + p.momentum * (ss / (m - 1));
  }
  return { y, savedMean, savedInvStd, runningMean: rm, runningVar: rv };
}

export function batchNormEvalForward(
  x: Float64Array,
  gamma: Float64Array,
  beta: Float64Array,
  runningMean: Float64Array,
  runningVar: Float64Array,
  p: BatchNormShape & { eps: number },
): Float64Array {
  const y = new Float64Array(x.length);
  for (let ch = 0; ch < p.c; ch++) {
    const invStd = 1 / Math.sqrt(runningVar[ch] + p.eps);
    channelValues(x, p, ch, (v, i) => (y[i] = gamma[ch] * (v - runningMean[ch]) * invStd + beta[ch]));
  }
  return y;
}

/** Gradients of this batch only; the caller adds them for accumulate mode. */
export function batchNormBackward(
  x: Float64Array,
  dy: Float64Array,
  gamma: Float64Array,
  savedMean: Float64Array,
  savedInvStd: Float64Array,
  p: BatchNormShape,
): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const m = p.n * p.h * p.w;
  const dx = new Float64Array(x.length);
  const dgamma = new Float64Array(p.c);
  const dbeta = new Float64Array(p.c);
  for (let ch = 0; ch < p.c; ch++) {
    const xhat = (i: number): number => (x[i] - savedMean[ch]) * savedInvStd[ch];
    channelValues(dy, p, ch, (g, i) => {
      dbeta[ch] += g;
      dgamma[ch] += g * xhat(i);
    });
    const meanDy = dbeta[ch] / m;
    const meanDyXhat = dgamma[ch] / m;
    channelValues(dy, p, ch, (g, i) => (dx[i] = gamma[ch] * savedInvStd[ch] * (g - meanDy - xhat(i) * meanDyXhat)));
  }
  return { dx, dgamma, dbeta };
}
