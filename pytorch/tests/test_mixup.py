"""mixup.py and data.Batches.get_mixed: lam follows Beta(alpha, alpha), the mixed batch is
lam * x + (1 - lam) * x[perm], the loss is CE against the soft labels, the draws repeat
by (seed, batch) and a distributed rank gets its slice of the globally mixed batch."""

import unittest

import torch
import torch.nn.functional as F

import helpers  # noqa: F401  (import path)
import data
import mixup


def split(count=12):
    images = (torch.arange(count * 3 * 4 * 4) * 37 % 256).to(torch.uint8).reshape(count, 3, 4, 4)
    return data.Split(images, torch.arange(count) % 5)


NORMALIZE = ([0.5, 0.4, 0.3], [0.2, 0.25, 0.3])


class Draws(unittest.TestCase):
    def test_lambda_moments_are_beta(self):
        for alpha in (0.2, 1.0, 4.0):
            with self.subTest(alpha=alpha):
                lams = torch.tensor([mixup.draw(3, i, 2, alpha)[0] for i in range(20000)], dtype=torch.float64)
                var = 1 / (4 * (2 * alpha + 1))
                self.assertLess(abs(lams.mean().item() - 0.5), 5 * (var / lams.numel()) ** 0.5)
                self.assertAlmostEqual(lams.var().item() / var, 1, delta=0.05)

    def test_same_seed_and_batch_same_draws_others_differ(self):
        a = [mixup.draw(7, i, 10, 0.4) for i in range(5)]
        b = [mixup.draw(7, i, 10, 0.4) for i in range(5)]
        c = [mixup.draw(8, i, 10, 0.4) for i in range(5)]
        self.assertEqual([(l, p.tolist()) for l, p in a], [(l, p.tolist()) for l, p in b])
        self.assertNotEqual([l for l, _ in a], [l for l, _ in c])
        for _, p in a:
            self.assertEqual(sorted(p.tolist()), list(range(10)))

    def test_alpha_zero_is_refused_with_the_reason(self):
        with self.assertRaisesRegex(ValueError, "alpha must be > 0 to draw"):
            mixup.draw(1, 0, 4, 0)


class Loss(unittest.TestCase):
    def test_mixed_loss_is_cross_entropy_against_soft_labels(self):
        torch.manual_seed(0)
        logits = torch.randn(6, 5, dtype=torch.float64)
        y = torch.tensor([0, 1, 2, 3, 4, 0])
        lam, perm = 0.3, torch.tensor([5, 4, 3, 2, 1, 0])
        _, y_a, y_b = mixup.mix(torch.zeros(6, 1), y, lam, perm)
        soft = lam * F.one_hot(y_a, 5).double() + (1 - lam) * F.one_hot(y_b, 5).double()
        want = -(soft * F.log_softmax(logits, 1)).sum(1).mean()
        self.assertAlmostEqual(mixup.loss(logits, y_a, y_b, lam).item(), want.item(), places=12)
        self.assertTrue(torch.equal(mixup.dominant(y_a, y_b, lam), y_b))


class MixedBatches(unittest.TestCase):
    def test_mixed_batch_is_lambda_x_plus_rest_of_x_perm(self):
        s = split()
        b = data.Batches(s, 6, 5, NORMALIZE, True, {"flip": True, "cropPad": 1})
        for index in range(4):
            x, y, _ = b.get(index)
            xm, y_a, y_b, lam, _ = b.get_mixed(index, 0.5)
            _, perm = mixup.draw(5, index, 6, 0.5)
            self.assertTrue(torch.allclose(xm, lam * x + (1 - lam) * x[perm], atol=1e-6))
            self.assertTrue(torch.equal(y_a, y))
            self.assertTrue(torch.equal(y_b, y[perm]))

    def test_ranks_get_slices_of_the_globally_mixed_batch(self):
        s = split()
        whole = data.Batches(s, 6, 5, NORMALIZE, True).get_mixed(2, 1.0)
        parts = [data.Batches(s, 6, 5, NORMALIZE, True, None, rank, 2).get_mixed(2, 1.0) for rank in (0, 1)]
        self.assertTrue(torch.equal(torch.cat([p[0] for p in parts]), whole[0]))
        self.assertTrue(torch.equal(torch.cat([p[2] for p in parts]), whole[2]))
        self.assertEqual({p[3] for p in parts}, {whole[3]})


if __name__ == "__main__":
    unittest.main()
