"""The training history train.py records: per-block gradient norms equal to the norms
of the step's gradients, the learnable scalars as the weights hold them, the lab's
thinning rule, and the CSV columns in the lab's order."""

import os
import sys
import unittest

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import build  # noqa: E402

from history import DIAGNOSTIC_COLUMNS, History, Kept, history_columns  # noqa: E402


class HistoryTest(unittest.TestCase):
    def test_thinning_keeps_evenly_spaced_steps_within_capacity(self):
        k = Kept(8)
        for step in range(1, 101):
            k.offer(step, lambda: [step])
        self.assertLess(len(k.steps), 8)
        self.assertEqual(k.steps[0], 1)
        self.assertEqual({b - a for a, b in zip(k.steps, k.steps[1:])}, {k.stride})
        self.assertEqual([r[0] for r in k.rows], k.steps)
        self.assertEqual(k.seen, 100)

    def test_block_norms_and_scalars_of_a_step(self):
        model = build("he", seed=1, learnRes=True, learnSkip=True)
        h = History(model)
        self.assertEqual(h.blocks, ["stem", "stage1.block0", "stage1.block1", "stage2.block0", "stage3.block0", "head"])
        self.assertEqual(h.scalar_names[:2], ["stage1.block0.aRes", "stage1.block0.aSkip"])
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x = torch.randn(4, 3, 8, 8, dtype=torch.float64)
        F.cross_entropy(model(x), torch.tensor([0, 1, 2, 3])).backward()
        h.after_backward(1)
        expect = {}
        for n, p in model.named_parameters():
            b = n.split(".")[0] if not n.startswith("stage") else ".".join(n.split(".")[:2])
            expect[b] = expect.get(b, 0.0) + float(p.grad.pow(2).sum())
        for i, b in enumerate(h.blocks):
            self.assertAlmostEqual(h.grad_norms.rows[0][i], expect[b] ** 0.5, places=12)
        opt.step()
        h.after_update(1)
        values = dict(model.named_parameters())
        self.assertEqual(h.scalar_values.rows[0], [float(values[n]) for n in h.scalar_names])
        self.assertNotEqual(h.scalar_values.rows[0][0], 1.0)
        cells = h.cells()[1]
        self.assertEqual(cells["scalar:stage1.block0.aRes"], h.scalar_values.rows[0][0])
        self.assertEqual(cells["block_grad_norm:head"], h.grad_norms.rows[0][-1])

    def test_columns_follow_the_lab(self):
        cols = history_columns([History(build("he", learnRes=True))])
        self.assertEqual(cols[: len(DIAGNOSTIC_COLUMNS)], ["diag_bn_stats", "sigma_max", "sigma_min", "max_abs_dev", "rank", "branch_balance", "last_q", "last_cosine"])
        self.assertEqual(cols[len(DIAGNOSTIC_COLUMNS)], "block_grad_norm:stem")
        self.assertEqual(cols[-1], "scalar:stage3.block0.aRes")


if __name__ == "__main__":
    unittest.main()
