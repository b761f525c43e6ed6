"""Shared by the Python tests: import path, small configs, Jacobians in float64."""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from model import ResNet  # noqa: E402


def config(**over):
    cfg = dict(inputChannels=3, inputSize=8, numClasses=5, width=8, blocksPerStage=[2, 1, 1], skip="B",
               batchNorm=False, learnRes=False, learnSkip=False, fixupBiases=False, postAddRelu=True)
    cfg.update(over)
    return cfg


def build(scheme, seed=0, options=None, **over):
    from init import config_for, initialize
    model = ResNet(config_for(scheme, config(**over))).double()
    return initialize(model, scheme, seed, options)


def jacobian(fn, z):
    """d fn(z) / d z as a (outputs x inputs) matrix."""
    out_n = fn(z).numel()
    j = torch.autograd.functional.jacobian(lambda x: fn(x).reshape(-1), z)
    return j.reshape(out_n, z.numel())


def singular_values(fn, z):
    return torch.linalg.svdvals(jacobian(fn, z))


def stage1(model):
    """Stem and the stride-1 blocks of stage 1 (a square Jacobian)."""
    blocks = list(model.stage1.children())

    def fn(z):
        x = model.stem(z)
        for b in blocks:
            x = b(x)
        return x
    return fn
