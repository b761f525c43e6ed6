// GPUBufferUsage / GPUMapMode flag values from the WebGPU spec, usable before the
// WebGPU globals exist (Node installs them only after the `webgpu` package loads).

export const BufferUsage = {
  MAP_READ: 0x1,
  MAP_WRITE: 0x2,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
  QUERY_RESOLVE: 0x200,
} as const;

export const MapMode = { READ: 0x1, WRITE: 0x2 } as const;

/** Default usage of tensor buffers: read/written by kernels, uploaded and read back. */
export const STORAGE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
