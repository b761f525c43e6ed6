// A workgroup's tree reduction. treeReduce(t, v) combines the WG values v of the
// workgroup's invocations (t = local_invocation_index) with treeCombine and returns the
// result to every invocation. Fixed tree shape (WG a power of two): the result depends
// only on the values, never on timing. Call it in uniform control flow; a kernel that
// calls it twice needs a workgroupBarrier() between (the second call's stores would race
// the first one's reads of tree[0]). Not a kernel: prepended by withTreeReduce
// (src/gpu/kernels/common.ts); the kernel declares `override WG`, the value type
// `alias TreeT = ...` and `fn treeCombine(a: TreeT, b: TreeT) -> TreeT`.

var<workgroup> tree: array<TreeT, WG>;

fn treeReduce(t: u32, v: TreeT) -> TreeT {
  tree[t] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { tree[t] = treeCombine(tree[t], tree[t + s]); }
    workgroupBarrier();
  }
  return tree[0];
}
