// Shape math shared by kernels, the CPU reference and the model builder.

export interface Conv2dShape {
  /** Batch. */
  n: number;
  cin: number;
  h: number;
  w: number;
  cout: number;
  kh: number;
  kw: number;
  stride: number;
  pad: number;
}

export function convOutSize(size: number, k: number, stride: number, pad: number): number {
  const out = Math.floor((size + 2 * pad - k) / stride) + 1;
  if (out < 1) throw new RangeError(`convolution output would be empty: size ${size}, kernel ${k}, stride ${stride}, pad ${pad}`);
  return out;
}

export function conv2dOutShape(s: Conv2dShape): { ho: number; wo: number } {
  return { ho: convOutSize(s.h, s.kh, s.stride, s.pad), wo: convOutSize(s.w, s.kw, s.stride, s.pad) };
}

export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** C = alpha * op(A) @ op(B) + beta * C for `batch` contiguous matrices; op(A) is m x k,
 * op(B) is k x n, row-major. Shared by the GPU kernel and its float64 reference. */
export interface MatmulParams {
  m: number;
  n: number;
  k: number;
  /** A stored k x m instead of m x k. */
  transA?: boolean;
  /** B stored n x k instead of k x n. */
  transB?: boolean;
  /** Contiguous batches of A, B and C (default 1). */
  batch?: number;
  alpha?: number;
  /** 0 (default) never reads C; 1 accumulates into it. */
  beta?: number;
}

/** Max pooling of NCHW planes with a k x k window (PyTorch's MaxPool2d, no dilation,
 * floor mode). Shared by the op's shape rule, the GPU kernels and the float64 reference. */
export interface MaxPoolShape {
  n: number;
  c: number;
  h: number;
  w: number;
  k: number;
  stride: number;
  pad: number;
}

/** Why a max-pool window does not fit, or undefined. PyTorch's rule pad <= k / 2 is what
 * keeps every window on at least one real pixel, so padding can never be the maximum. */
export function maxPoolProblem(k: number, stride: number, pad: number): string | undefined {
  if (!Number.isInteger(k) || k < 1) return `maxPool kernel must be a positive integer, got ${k}`;
  if (!Number.isInteger(stride) || stride < 1) return `maxPool stride must be a positive integer, got ${stride}`;
  if (!Number.isInteger(pad) || pad < 0 || pad > Math.floor(k / 2))
    return `maxPool pad must be an integer in [0, ${Math.floor(k / 2)}] for a ${k}x${k} window, got ${pad}`;
  return undefined;
}

export function maxPoolOutShape(s: MaxPoolShape): { ho: number; wo: number } {
  return { ho: convOutSize(s.h, s.k, s.stride, s.pad), wo: convOutSize(s.w, s.k, s.stride, s.pad) };
}
