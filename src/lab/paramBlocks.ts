// Which block a parameter belongs to ("stage1.block0.conv1.weight" -> "stage1.block0"),
// the network order of blocks (stem, stages and blocks numerically, head, the rest), and
// which parameters are the learnable a_res / a_skip whose trajectories the lab keeps.

/** "stem", "stage1.block0", ..., "head", or the name's first segment. */
export function blockOf(name: string): string {
  const m = /^(stage\d+\.block\d+)(\.|$)/.exec(name);
  if (m) return m[1];
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

function rank(block: string): number[] {
  if (block === 'stem') return [0, 0, 0];
  const m = /^stage(\d+)\.block(\d+)$/.exec(block);
  if (m) return [1, Number(m[1]), Number(m[2])];
  return block === 'head' ? [2, 0, 0] : [3, 0, 0];
}

/** Sort order of block names in the network. */
export function compareBlocks(a: string, b: string): number {
  const [ra, rb] = [rank(a), rank(b)];
  for (let k = 0; k < 3; k++) if (ra[k] !== rb[k]) return ra[k] - rb[k];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The blocks of a parameter list in network order, and each parameter's block index. */
export function blockIndex(names: readonly string[]): { blocks: string[]; of: number[] } {
  const blocks = [...new Set(names.map(blockOf))].sort(compareBlocks);
  const at = new Map(blocks.map((b, i) => [b, i]));
  return { blocks, of: names.map((n) => at.get(blockOf(n))!) };
}

/** A learnable a_res or a_skip ("stage1.block0.aRes"). */
export function isBranchScalar(name: string): boolean {
  return /\.(aRes|aSkip)$/.test(name);
}
