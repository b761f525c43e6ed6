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
