"""The training history train.py records beside loss and accuracy, as the lab does:
per-block gradient norms at the logged steps and the learnable a_res / a_skip, each
thinned by the lab's rule, and the metrics.csv columns that carry them (the lab's
src/lab/historyCsv.ts: the same names in the same order), so the histories overlay
after import. Diagnostics (spectrum, signal) are measured in the lab only: their
columns are written, empty.
"""

import re

import torch

# The lab's HISTORY_CAPACITY (src/lab/runHistory.ts).
CAPACITY = {"gradNorms": 256, "scalars": 512}
DIAGNOSTIC_COLUMNS = ["diag_bn_stats", "sigma_max", "sigma_min", "max_abs_dev", "rank", "branch_balance", "last_q", "last_cosine"]
BLOCK_PREFIX = "block_grad_norm:"
SCALAR_PREFIX = "scalar:"


def block_of(name):
    """'stage1.block0.conv1.weight' -> 'stage1.block0'; 'stem.conv.weight' -> 'stem'."""
    m = re.match(r"^(stage\d+\.block\d+)(\.|$)", name)
    return m.group(1) if m else name.split(".")[0]


def block_rank(block):
    """Network order: stem, stages and blocks numerically, head, then the rest by name."""
    if block == "stem":
        return (0, 0, 0, "")
    m = re.match(r"^stage(\d+)\.block(\d+)$", block)
    if m:
        return (1, int(m.group(1)), int(m.group(2)), "")
    return (2, 0, 0, "") if block == "head" else (3, 0, 0, block)


def is_branch_scalar(name):
    return re.search(r"\.(aRes|aSkip)$", name) is not None


class Kept:
    """The lab's KeptSeries: the n-th step offered is kept when n is a multiple of the
    stride; when `capacity` rows are held, every second row goes and the stride doubles."""

    def __init__(self, capacity):
        self.capacity, self.stride, self.seen, self.steps, self.rows = capacity, 1, 0, [], []

    def offer(self, step, row_fn):
        if self.steps and step <= self.steps[-1]:
            return
        n = self.seen
        self.seen += 1
        if n % self.stride:
            return
        self.steps.append(step)
        self.rows.append(row_fn())
        if len(self.steps) >= self.capacity:
            self.steps, self.rows = self.steps[::2], self.rows[::2]
            self.stride *= 2

    def state(self):
        return {"stride": self.stride, "seen": self.seen, "steps": self.steps, "rows": self.rows}

    @classmethod
    def from_state(cls, capacity, s):
        k = cls(capacity)
        k.stride, k.seen, k.steps, k.rows = s["stride"], s["seen"], list(s["steps"]), list(s["rows"])
        return k


class History:
    """Per-block gradient norms (after backward, before clipping, as the lab) and the
    learnable a_res / a_skip (after the optimizer step) of one run."""

    def __init__(self, model):
        named = [(n, p) for n, p in model.named_parameters()]
        self.blocks = sorted({block_of(n) for n, _ in named}, key=block_rank)
        self.index = {b: i for i, b in enumerate(self.blocks)}
        self.params = [(self.index[block_of(n)], p) for n, p in named]
        self.scalars = [(n, p) for n, p in named if is_branch_scalar(n)]
        self.scalar_names = [n for n, _ in self.scalars]
        self.grad_norms = Kept(CAPACITY["gradNorms"])
        self.scalar_values = Kept(CAPACITY["scalars"])

    def block_norms(self):
        """sqrt of the sum of squares per block, on the device, then one copy to the host."""
        have = [(b, p.grad) for b, p in self.params if p.grad is not None]
        if not have:
            return [0.0] * len(self.blocks)
        sums = torch.stack([g.detach().double().pow(2).sum() for _, g in have])
        index = torch.tensor([b for b, _ in have], device=sums.device)
        sq = torch.zeros(len(self.blocks), dtype=torch.float64, device=sums.device).index_add_(0, index, sums)
        return sq.sqrt().tolist()

    def after_backward(self, step):
        self.grad_norms.offer(step, self.block_norms)

    def after_update(self, step):
        if self.scalars:
            self.scalar_values.offer(step, lambda: torch.stack([p.detach().double().reshape(()) for _, p in self.scalars]).tolist())

    def state(self):
        return {"gradNorms": self.grad_norms.state(), "scalars": self.scalar_values.state()}

    def load(self, s):
        self.grad_norms = Kept.from_state(CAPACITY["gradNorms"], s["gradNorms"])
        self.scalar_values = Kept.from_state(CAPACITY["scalars"], s["scalars"])

    def cells(self):
        """{step: {column: value}} for the history columns of this run."""
        out = {}
        for kept, names, prefix in ((self.grad_norms, self.blocks, BLOCK_PREFIX), (self.scalar_values, self.scalar_names, SCALAR_PREFIX)):
            for step, row in zip(kept.steps, kept.rows):
                out.setdefault(step, {}).update({prefix + n: v for n, v in zip(names, row)})
        return out


def history_columns(histories):
    """The diagnostic columns, then the union of blocks (network order) and of scalars."""
    blocks = sorted({b for h in histories for b in h.blocks}, key=block_rank)
    scalars = sorted({s for h in histories for s in h.scalar_names}, key=lambda s: (block_rank(s.rsplit(".", 1)[0]), s))
    return DIAGNOSTIC_COLUMNS + [BLOCK_PREFIX + b for b in blocks] + [SCALAR_PREFIX + s for s in scalars]
