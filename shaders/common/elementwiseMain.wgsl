// The item of every element-wise kernel (run by common/perIndex.wgsl): out[i] = element(i),
// or out[i] += element(i) when p.accumulate. `element` is the one-line alias
// src/gpu/kernels/elementwise.ts appends for the chosen function, or the function the
// graph compiler generates (fusedElementwise.ts; f32 or vec4 `out`).
fn item(i: u32) {
  let v = element(i);
  if (p.accumulate != 0u) { out[i] += v; } else { out[i] = v; }
}
