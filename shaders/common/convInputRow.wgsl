// The direct kernels' load of one input row value (conv2dForwardDirect.wgsl, and the
// filter gradients through common/convFilterGrad.wgsl, which declare x): x[row + ix], zero
// in the padding; branch-free, the index clamped into the row. Not a kernel: prepended with
// common/conv.wgsl by withConvInputRow (src/gpu/kernels/convCommon.ts).
fn xAt(row: u32, ix: i32) -> f32 {
  return select(0.0, x[row + u32(clamp(ix, 0, i32(p.w) - 1))], ix >= 0 && ix < i32(p.w));
}
