"""train.py's seeds: every seed the export lists, the experiment's one for an export
without seeds, and --seed moving them all (seed k = the given seed + k, as in the lab)."""

import unittest

import helpers  # noqa: F401  (import path)
from train import seeds_of

RUN = {"key": "he", "file": "he", "weights": "weights/he.safetensors"}
SEEDS = [
    {"index": 0, "seed": 7, "file": "he", "weights": "weights/he.safetensors"},
    {"index": 1, "seed": 8, "file": "he_seed2", "weights": "weights/he_seed2.safetensors"},
]


class SeedsOf(unittest.TestCase):
    def test_the_exported_seeds(self):
        self.assertEqual(seeds_of(dict(RUN, seeds=SEEDS), {"seed": 7}), SEEDS)

    def test_an_export_without_seeds_trains_the_experiment_seed(self):
        self.assertEqual(seeds_of(RUN, {"seed": 3}), [{"index": 0, "seed": 3, "file": "he", "weights": "weights/he.safetensors"}])

    def test_seed_override_moves_every_seed_and_wraps(self):
        got = seeds_of(dict(RUN, seeds=SEEDS), {"seed": 7}, 2 ** 32 - 1)
        self.assertEqual([s["seed"] for s in got], [2 ** 32 - 1, 0])
        self.assertEqual([s["weights"] for s in got], [s["weights"] for s in SEEDS])


if __name__ == "__main__":
    unittest.main()
