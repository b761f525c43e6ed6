"""The PyTorch init schemes against docs/science.md: Risotto is exactly isometric, Fixup and
SkipInit / ReZero match their definitions, He is not isometric."""

import math
import unittest

import torch

from helpers import build, config, singular_values, stage1
from init import initialize, orth
from model import ResNet


class RisottoIsometry(unittest.TestCase):
    def assert_isometric(self, sigma, tol=1e-10):
        self.assertGreater(sigma.numel(), 0)
        self.assertLess((sigma - 1).abs().max().item(), tol, "singular values %s" % sigma[:5].tolist())

    def test_stride1_blocks_type_b_and_c_every_sigma_is_one(self):
        z = torch.randn(1, 3, 8, 8, dtype=torch.float64)
        for skip in ("B", "C"):
            for depth in (1, 4):
                with self.subTest(skip=skip, depth=depth):
                    model = build("risotto", seed=depth, skip=skip, blocksPerStage=[depth, 1, 1])
                    sigma = singular_values(stage1(model), z)
                    self.assertEqual(sigma.numel(), 3 * 8 * 8)  # every input direction (512 outputs x 192 inputs)
                    self.assert_isometric(sigma)

    def test_whole_network_with_stride2_is_a_partial_isometry(self):
        z = torch.rand(1, 3, 8, 8, dtype=torch.float64)
        for skip in ("B", "C"):
            model = build("risotto", seed=7, skip=skip, blocksPerStage=[2, 2, 2])
            sigma = singular_values(model.features, z)
            nonzero = sigma[sigma > 1e-8]
            self.assertEqual(nonzero.numel(), 3 * 2 * 2)  # the 3 input channels at the 2x2 pixels stride 4 keeps
            self.assert_isometric(nonzero)

    def test_options_and_learnable_scalars_keep_isometry(self):
        z = torch.randn(1, 3, 8, 8, dtype=torch.float64)
        model = build("risotto", seed=3, options={"aRes": 0.5, "aSkip": 2.0, "permutation": "random"}, learnRes=True, learnSkip=True, blocksPerStage=[3, 1, 1])
        self.assertTrue(model.stage1.block0.aRes.requires_grad)
        self.assertEqual(model.stage1.block0.aRes.item(), 0.5)
        self.assert_isometric(singular_values(stage1(model), z))

    def test_naive_looks_linear_is_not_isometric(self):
        z = torch.randn(1, 3, 8, 8, dtype=torch.float64)
        model = build("looksLinearNoCorrection", seed=1, blocksPerStage=[4, 1, 1])
        self.assertGreater((singular_values(stage1(model), z) - 1).abs().max().item(), 0.1)

    def test_orth_is_haar_orthonormal(self):
        g = torch.Generator().manual_seed(0)
        for rows, cols in ((5, 3), (3, 5), (4, 4)):
            q = orth(g, rows, cols)
            gram = q.T @ q if rows >= cols else q @ q.T
            self.assertLess((gram - torch.eye(min(rows, cols), dtype=torch.float64)).abs().max().item(), 1e-12)


class Baselines(unittest.TestCase):
    def test_he_is_not_isometric_and_has_he_variance(self):
        model = build("he", seed=2, width=32, blocksPerStage=[4, 1, 1])
        w = model.stage1.block0.conv1.weight
        self.assertAlmostEqual(w.std().item(), math.sqrt(2 / (32 * 9)), delta=0.1 * math.sqrt(2 / (32 * 9)))
        small = build("he", seed=2, blocksPerStage=[4, 1, 1])
        sigma = singular_values(stage1(small), torch.randn(1, 3, 8, 8, dtype=torch.float64))
        self.assertGreater(sigma.max().item() / sigma.min().item(), 10)

    def test_fixup_matches_its_definition(self):
        model = build("fixup", seed=4, width=32, blocksPerStage=[3, 3, 3])
        L = 9
        self.assertFalse(model.config["batchNorm"])
        for b in model.blocks:
            self.assertEqual(b.conv2.weight.abs().max().item(), 0.0)
            self.assertTrue(b.aRes.requires_grad)
            self.assertEqual(b.aRes.item(), 1.0)
            self.assertEqual(b.aSkip.item(), 1.0)
            for name in ("bias1a", "bias1b", "bias2a", "bias2b"):
                self.assertEqual(getattr(b, name).item(), 0.0)
        self.assertEqual(model.head.fc.weight.abs().max().item(), 0.0)
        conv1 = torch.cat([b.conv1.weight.reshape(-1) for b in model.blocks[1:3]])
        want = math.sqrt(2 / (32 * 9)) * L ** -0.5
        self.assertAlmostEqual(conv1.std().item(), want, delta=0.08 * want)
        skip = model.stage2.block0.skipConv.weight
        self.assertAlmostEqual(skip.std().item(), math.sqrt(2 / 32), delta=0.15 * math.sqrt(2 / 32))

    def test_fixup_is_fan_out_and_bottlenecks_use_m_3(self):
        # Stage transitions have C_out = 2 C_in: fan-out std is 1/sqrt(2) of fan-in's.
        model = build("fixup", seed=6, width=32, blocksPerStage=[1, 1, 1])
        w = model.stage2.block0.conv1.weight
        want = math.sqrt(2 / (64 * 9)) * 3 ** -0.5
        self.assertAlmostEqual(w.std().item(), want, delta=0.08 * want)
        deep = build("fixup", seed=7, width=16, block="bottleneck", blocksPerStage=[4, 4, 4])
        L = 12
        for b in deep.blocks:
            self.assertEqual(b.conv3.weight.abs().max().item(), 0.0)
            for name in ("bias1a", "bias1b", "bias2a", "bias2b", "bias3a", "bias3b"):
                self.assertEqual(getattr(b, name).item(), 0.0)
        conv2 = torch.cat([b.conv2.weight.reshape(-1) for b in deep.stage1.children()])
        want = math.sqrt(2 / (16 * 9)) * L ** -0.25
        self.assertAlmostEqual(conv2.std().item(), want, delta=0.08 * want)

    def test_risotto_bottleneck_type_c_is_isometric_and_type_b_refused(self):
        model = build("risotto", seed=8, block="bottleneck", skip="C", blocksPerStage=[3, 1, 1])
        sigma = singular_values(stage1(model), torch.randn(1, 3, 8, 8, dtype=torch.float64))
        self.assertEqual(sigma.numel(), 3 * 8 * 8)
        self.assertLess((sigma - 1).abs().max().item(), 1e-10)
        with self.assertRaisesRegex(ValueError, "Type C"):
            build("risotto", block="bottleneck", skip="B")

    def test_fixup_skipinit_rezero_blocks_start_as_the_identity(self):
        for scheme in ("fixup", "skipinit", "rezero"):
            with self.subTest(scheme=scheme):
                model = build(scheme, seed=5, blocksPerStage=[2, 1, 1])
                x = torch.rand(2, 8, 8, 8, dtype=torch.float64)
                if scheme == "rezero":
                    x = x - 0.5  # no ReLU after the addition: the identity for any sign
                for b in model.stage1.children():
                    self.assertTrue(torch.equal(b(x), x))
        self.assertEqual(build("skipinit").stage1.block0.aRes.item(), 0.0)

    def test_requirements_are_refused_with_reasons(self):
        with self.assertRaisesRegex(ValueError, "even width"):
            initialize(ResNet(config(width=9)), "risotto")
        with self.assertRaisesRegex(ValueError, "batchNorm off"):
            initialize(ResNet(config(batchNorm=True, learnRes=True, fixupBiases=True)), "fixup")
        with self.assertRaisesRegex(ValueError, "no option"):
            initialize(ResNet(config()), "he", options={"aRes": 2})
        with self.assertRaisesRegex(ValueError, "unknown init scheme"):
            initialize(ResNet(config()), "xavier")


if __name__ == "__main__":
    unittest.main()
