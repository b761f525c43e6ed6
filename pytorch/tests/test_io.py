"""safetensors_io round trips, the lab-weights loader's errors, and data batching."""

import os
import tempfile
import unittest

import torch

from helpers import build, config
import data
from init import load_lab_weights
from model import ResNet
from safetensors_io import decode, load_file, save_file


class SafetensorsIo(unittest.TestCase):
    def test_round_trip_every_dtype_bit_exact(self):
        tensors = {"f": torch.tensor([1.5, float("nan"), -0.0]), "d": torch.randn(2, 3, dtype=torch.float64),
                   "i": torch.tensor([[1, -2]], dtype=torch.int32), "u": torch.arange(7, dtype=torch.uint8), "e": torch.zeros(0)}
        with tempfile.TemporaryDirectory() as d:
            save_file(tensors, os.path.join(d, "t.safetensors"), {"a": 1})
            back = load_file(os.path.join(d, "t.safetensors"))
        self.assertEqual(set(back), set(tensors))
        for k, v in tensors.items():
            self.assertEqual(back[k].dtype, v.dtype)
            self.assertEqual(back[k].shape, v.shape)
            self.assertTrue(torch.equal(back[k].view(torch.uint8) if v.numel() else back[k], v.view(torch.uint8) if v.numel() else v))

    def test_truncated_file_is_refused(self):
        with self.assertRaisesRegex(ValueError, "not a safetensors file"):
            decode(b"\x10\x00\x00\x00\x00\x00\x00\x00{}")


class LabWeights(unittest.TestCase):
    def test_state_dict_round_trips_and_mismatch_is_explained(self):
        model = build("he", seed=1, batchNorm=True)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "w.safetensors")
            save_file({k: v.float() for k, v in model.state_dict().items()}, path)
            twin = load_lab_weights(ResNet(config(batchNorm=True)), path)
            for k, v in model.state_dict().items():
                self.assertTrue(torch.equal(twin.state_dict()[k], v.float()))
            with self.assertRaisesRegex(ValueError, "does not fit this model:\n- missing tensor stage1.block0.skipConv.weight"):
                load_lab_weights(ResNet(config(batchNorm=True, skip="C")), path)


class Batching(unittest.TestCase):
    def split(self, n=20):
        return data.Split(torch.randint(0, 256, (n, 3, 4, 4), dtype=torch.uint8), torch.arange(n) % 3)

    def test_ranks_see_slices_of_the_same_global_batch(self):
        s = self.split()
        norm = data.channel_stats(s)
        opts = {"flip": True, "cropPad": 1}
        whole = data.Batches(s, 8, 3, norm, True, opts)
        parts = [data.Batches(s, 8, 3, norm, True, opts, rank=r, world=2) for r in range(2)]
        for i in range(5):  # crosses an epoch boundary (2 full batches per epoch)
            x, y, epoch = whole.get(i)
            xs = torch.cat([p.get(i)[0] for p in parts])
            ys = torch.cat([p.get(i)[1] for p in parts])
            self.assertTrue(torch.equal(x, xs))
            self.assertTrue(torch.equal(y, ys))
            self.assertEqual(epoch, i // 2)

    def test_normalisation_matches_the_lab_rule(self):
        s = self.split(50)
        mean, std = data.channel_stats(s)
        x, _, _ = data.Batches(s, 50, 0, (mean, std), False).get(0)
        self.assertLess(x.mean(dim=(0, 2, 3)).abs().max().item(), 1e-5)
        self.assertLess((x.std(dim=(0, 2, 3), unbiased=False) - 1).abs().max().item(), 1e-4)

    def test_batch_that_does_not_split_is_refused(self):
        with self.assertRaisesRegex(ValueError, "does not split over 3 processes"):
            data.Batches(self.split(), 8, 0, ([0] * 3, [1] * 3), True, rank=0, world=3)


if __name__ == "__main__":
    unittest.main()
