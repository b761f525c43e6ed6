"""Mixup (Zhang et al. 2018) as the lab and the Fixup authors' code train with it: each
batch is mixed with a permutation of itself, x' = lam * x + (1 - lam) * x[perm] with
lam ~ Beta(alpha, alpha) drawn once per batch, and the loss is
lam * CE(y) + (1 - lam) * CE(y[perm]) (cross-entropy against the soft labels).

The draws are seeded by (seed, batch index), so every process of a distributed run
mixes the same global batch and a resumed run repeats them. They come from Python's
generator, not the lab's: the same distribution and math, not the same numbers
(check_parity.py feeds the lab's draws to compare the math exactly).
"""

import random

import torch
import torch.nn.functional as F


def draw(seed, index, n, alpha):
    """(lam, perm) for batch `index` (0-based over all epochs) of n rows."""
    if not alpha > 0:
        raise ValueError("mixup alpha must be > 0 to draw (0 means no mixup), got %r" % (alpha,))
    rng = random.Random(seed * 1000003 + index)
    lam = rng.betavariate(alpha, alpha)
    perm = list(range(n))
    rng.shuffle(perm)
    return lam, torch.tensor(perm, dtype=torch.long)


def mix(x, y, lam, perm):
    """The mixed batch and its two label sets: (lam * x + (1 - lam) * x[perm], y, y[perm])."""
    return lam * x + (1 - lam) * x[perm], y, y[perm]


def loss(logits, y_a, y_b, lam):
    """lam * CE(y_a) + (1 - lam) * CE(y_b), batch means."""
    return lam * F.cross_entropy(logits, y_a) + (1 - lam) * F.cross_entropy(logits, y_b)


def dominant(y_a, y_b, lam):
    """The label with the larger share of each mixed image: what the training accuracy
    counts a prediction against (as the lab does)."""
    return y_a if lam >= 0.5 else y_b
