"""The Risotto Lab ResNet (section 1 of the lab's docs/science.md) as a plain torch.nn.Module.

ResNet v1: stem conv -> BN -> ReLU (the ImageNet stem: 7x7 stride 2, then a 3x3 stride-2
max-pool), residual blocks x' = relu(a_skip * S(x) + a_res * F(x)) with F =
conv2(relu(conv1(x))) (basic) or conv3(relu(conv2(relu(conv1(x))))) (bottleneck: 1x1 ->
3x3 with the stride -> 1x1, 4x wider out), identity (Type B) or 1x1 projection (Type C)
skips, global average pooling and a linear classifier. state_dict() names are exactly the tensor names of the lab's exported
weights.safetensors (stem.conv.weight, stage1.block0.bn1.gamma, ...aRes, head.fc.weight),
so the lab's weights load with strict=True. Building only; initial values live in
init.py.
"""

import torch
from torch import nn
import torch.nn.functional as F

# The lab's defaults, which are PyTorch's.
DEFAULT_BN_EPS = 1e-5
DEFAULT_BN_MOMENTUM = 0.1


class LabBatchNorm2d(nn.Module):
    """BatchNorm2d with the lab's tensor names (gamma, beta, runningMean, runningVar).

    Same maths as nn.BatchNorm2d: batch statistics in training (unbiased variance
    for the running estimate, momentum-weighted update), running statistics in eval.
    """

    def __init__(self, channels, eps=DEFAULT_BN_EPS, momentum=DEFAULT_BN_MOMENTUM):
        super().__init__()
        self.eps = eps
        self.momentum = momentum
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.register_buffer("runningMean", torch.zeros(channels))
        self.register_buffer("runningVar", torch.ones(channels))

    def forward(self, x):
        return F.batch_norm(x, self.runningMean, self.runningVar, self.gamma, self.beta,
                            self.training, self.momentum, self.eps)


def scalar(module, name, value, learned):
    """A one-element a_res / a_skip / bias: a Parameter when learned, else a buffer
    (still in state_dict, so the lab's constant values load and save)."""
    t = torch.full((1,), float(value))
    if learned:
        module.register_parameter(name, nn.Parameter(t))
    else:
        module.register_buffer(name, t)


BOTTLENECK_EXPANSION = 4


class Stem(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.fixup = cfg["fixupBiases"]
        self.imagenet = cfg.get("stem", "cifar") == "imagenet"
        k, stride = (7, 2) if self.imagenet else (3, 1)
        self.conv = nn.Conv2d(cfg["inputChannels"], cfg["width"], k, stride=stride, padding=(k - 1) // 2, bias=False)
        if cfg["batchNorm"]:
            self.bn = LabBatchNorm2d(cfg["width"], cfg.get("bnEps", DEFAULT_BN_EPS),
                                     cfg.get("bnMomentum", DEFAULT_BN_MOMENTUM))
        if self.fixup:
            scalar(self, "bias", 0.0, True)

    def forward(self, z):
        y = self.conv(z)
        if hasattr(self, "bn"):
            y = self.bn(y)
        if self.fixup:
            y = y + self.bias
        y = F.relu(y)
        return F.max_pool2d(y, 3, stride=2, padding=1) if self.imagenet else y


class Block(nn.Module):
    """One residual block. Fixup's scalar biases: bias1a before conv1 and the skip conv,
    bias1b after conv1, bias2a before conv2, bias2b after the a_res multiplier."""

    def __init__(self, cin, cout, stride, projection, cfg):
        super().__init__()
        self.cfg = cfg
        self.fixup = cfg["fixupBiases"]
        self.post_add_relu = cfg["postAddRelu"]
        self.projection = projection
        if self.fixup:
            for name in ("bias1a", "bias1b", "bias2a", "bias2b"):
                scalar(self, name, 0.0, True)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        if projection:
            self.skipConv = nn.Conv2d(cin, cout, 1, stride=stride, bias=False)
        if cfg["batchNorm"]:
            eps, mom = cfg.get("bnEps", DEFAULT_BN_EPS), cfg.get("bnMomentum", DEFAULT_BN_MOMENTUM)
            self.bn1 = LabBatchNorm2d(cout, eps, mom)
            self.bn2 = LabBatchNorm2d(cout, eps, mom)
            if projection:
                self.skipBn = LabBatchNorm2d(cout, eps, mom)
        scalar(self, "aRes", 1.0, cfg["learnRes"])
        scalar(self, "aSkip", 1.0, cfg["learnSkip"])

    def _bias(self, y, name):
        return y + getattr(self, name) if self.fixup else y

    def _bn(self, y, name):
        return getattr(self, name)(y) if self.cfg["batchNorm"] else y

    def branches(self, x):
        """(a_res F(x), a_skip S(x)): the two terms the block adds (Fixup's bias2b is
        part of the residual term), as the lab's branch balance reads them."""
        xin = self._bias(x, "bias1a")
        h = F.relu(self._bias(self._bn(self.conv1(xin), "bn1"), "bias1b"))
        res = self._bn(self.conv2(self._bias(h, "bias2a")), "bn2")
        res = self._bias(res * self.aRes, "bias2b")
        skip = self._bn(self.skipConv(xin), "skipBn") if self.projection else x
        return res, skip * self.aSkip

    def combine(self, res, skip):
        out = skip + res
        return F.relu(out) if self.post_add_relu else out

    def forward(self, x):
        return self.combine(*self.branches(x))


class Bottleneck(Block):
    """A bottleneck block: conv1 1x1 (cin -> mid), conv2 3x3 with the stride, conv3 1x1
    (mid -> cout), each with its BN. Fixup's scalar biases: bias1a before conv1 and the
    skip conv, bias1b after conv1, bias2a / bias2b around conv2, bias3a before conv3,
    bias3b after the a_res multiplier. Same branches / combine interface as Block."""

    def __init__(self, cin, mid, cout, stride, projection, cfg):
        nn.Module.__init__(self)
        self.cfg = cfg
        self.fixup = cfg["fixupBiases"]
        self.post_add_relu = cfg["postAddRelu"]
        self.projection = projection
        if self.fixup:
            for name in ("bias1a", "bias1b", "bias2a", "bias2b", "bias3a", "bias3b"):
                scalar(self, name, 0.0, True)
        self.conv1 = nn.Conv2d(cin, mid, 1, bias=False)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride=stride, padding=1, bias=False)
        self.conv3 = nn.Conv2d(mid, cout, 1, bias=False)
        if projection:
            self.skipConv = nn.Conv2d(cin, cout, 1, stride=stride, bias=False)
        if cfg["batchNorm"]:
            eps, mom = cfg.get("bnEps", DEFAULT_BN_EPS), cfg.get("bnMomentum", DEFAULT_BN_MOMENTUM)
            self.bn1 = LabBatchNorm2d(mid, eps, mom)
            self.bn2 = LabBatchNorm2d(mid, eps, mom)
            self.bn3 = LabBatchNorm2d(cout, eps, mom)
            if projection:
                self.skipBn = LabBatchNorm2d(cout, eps, mom)
        scalar(self, "aRes", 1.0, cfg["learnRes"])
        scalar(self, "aSkip", 1.0, cfg["learnSkip"])

    def branches(self, x):
        xin = self._bias(x, "bias1a")
        h = F.relu(self._bias(self._bn(self.conv1(xin), "bn1"), "bias1b"))
        h = F.relu(self._bias(self._bn(self.conv2(self._bias(h, "bias2a")), "bn2"), "bias2b"))
        res = self._bn(self.conv3(self._bias(h, "bias3a")), "bn3")
        res = self._bias(res * self.aRes, "bias3b")
        skip = self._bn(self.skipConv(xin), "skipBn") if self.projection else x
        return res, skip * self.aSkip


class Head(nn.Module):
    def __init__(self, channels, cfg):
        super().__init__()
        self.fixup = cfg["fixupBiases"]
        if self.fixup:
            scalar(self, "bias", 0.0, True)
        self.fc = nn.Linear(channels, cfg["numClasses"])

    def forward(self, x):
        pooled = x.mean(dim=(2, 3))
        if self.fixup:
            pooled = pooled + self.bias
        return self.fc(pooled)


def plan_blocks(cfg):
    """Per block (stage, index in stage, cin, mid, cout, stride, projection), as the lab
    plans them: stage s has width * 2^s inner channels and as many outputs (basic) or 4x
    as many (bottleneck); the first block of a later stage has stride 2; Type B projects
    where the shape changes, Type C in every block."""
    validate_config(cfg)
    expansion = BOTTLENECK_EXPANSION if cfg.get("block", "basic") == "bottleneck" else 1
    out = []
    cin = cfg["width"]
    for s, count in enumerate(cfg["blocksPerStage"]):
        mid = cfg["width"] * 2 ** s
        cout = mid * expansion
        for i in range(count):
            stride = 2 if s > 0 and i == 0 else 1
            projection = cfg["skip"] == "C" or stride != 1 or cin != cout
            out.append((s + 1, i, cin, mid, cout, stride, projection))
            cin = cout
    return out


CONFIG_KEYS = ("inputChannels", "inputSize", "numClasses", "width", "blocksPerStage", "skip",
               "batchNorm", "learnRes", "learnSkip", "fixupBiases", "postAddRelu")


def validate_config(cfg):
    missing = [k for k in CONFIG_KEYS if k not in cfg]
    if missing:
        raise ValueError("ResNet config lacks %s (it should be a 'model' entry of config.json)" % ", ".join(missing))
    if cfg["skip"] not in ("B", "C"):
        raise ValueError("skip must be 'B' or 'C', got %r" % (cfg["skip"],))
    if cfg.get("block", "basic") not in ("basic", "bottleneck"):
        raise ValueError("block must be 'basic' or 'bottleneck', got %r" % (cfg["block"],))
    if cfg.get("stem", "cifar") not in ("cifar", "imagenet"):
        raise ValueError("stem must be 'cifar' or 'imagenet', got %r" % (cfg["stem"],))
    if len(cfg["blocksPerStage"]) not in (3, 4) or min(cfg["blocksPerStage"]) < 1:
        raise ValueError("blocksPerStage must list 3 or 4 stages of at least 1 block, got %r" % (cfg["blocksPerStage"],))


class ResNet(nn.Module):
    """forward(z) -> logits; features(z) -> output of the last residual block."""

    def __init__(self, cfg):
        super().__init__()
        self.config = dict(cfg)
        self.stem = Stem(cfg)
        self.blocks = []
        cout = cfg["width"]
        for stage, index, cin, mid, cout, stride, projection in plan_blocks(cfg):
            name = "stage%d" % stage
            if not hasattr(self, name):
                self.add_module(name, nn.Module())
            if cfg.get("block", "basic") == "bottleneck":
                block = Bottleneck(cin, mid, cout, stride, projection, cfg)
            else:
                block = Block(cin, cout, stride, projection, cfg)
            block.stage, block.scope = stage, "%s.block%d" % (name, index)
            getattr(self, name).add_module("block%d" % index, block)
            self.blocks.append(block)
        self.head = Head(cout, cfg)

    def features(self, z):
        x = self.stem(z)
        for block in self.blocks:
            x = block(x)
        return x

    def forward(self, z):
        return self.head(self.features(z))
