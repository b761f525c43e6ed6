"""Every init scheme of the lab's docs/science.md, re-implemented in PyTorch, and the loader for the
lab's exact initial weights.

initialize(model, scheme, seed, options) draws a fresh initialisation of a model.ResNet
of any size (for runs the browser never built); load_lab_weights(model, path) loads the
lab's own tensors bit for bit. The draws use torch's generator, so a fresh init has the
scheme's distribution, not the lab's random numbers: use load_lab_weights to reproduce
a lab run exactly.
"""

import math

import torch

from safetensors_io import load_file

SCHEMES = ("risotto", "he", "fixup", "skipinit", "rezero", "deltaOrthogonal", "looksLinearNoCorrection")


# ---- matrices (docs/science.md section 2), computed in float64 ----------------------------

def orth(gen, rows, cols):
    """A random rows x cols matrix with orthonormal columns (rows >= cols) or rows
    (rows < cols): QR of a Gaussian matrix with the signs of R's diagonal folded into Q,
    so the distribution is Haar."""
    if rows < cols:
        return orth(gen, cols, rows).T.contiguous()
    a = torch.randn(rows, cols, generator=gen, dtype=torch.float64)
    q, r = torch.linalg.qr(a)
    signs = torch.sign(torch.diagonal(r))
    signs[signs == 0] = 1
    return q * signs


def looks_linear(a):
    """LL(A) = [[A, -A], [-A, A]]."""
    return torch.cat([torch.cat([a, -a], 1), torch.cat([-a, a], 1)], 0)


def delta(m, shape):
    """A conv weight of `shape` [cout, cin, k, k] whose centre tap is M, every other 0."""
    cout, cin, kh, kw = shape
    if (cout, cin) != tuple(m.shape):
        raise ValueError("delta: matrix %s for weight %s" % (tuple(m.shape), tuple(shape)))
    w = torch.zeros(tuple(shape), dtype=torch.float64)
    w[:, :, kh // 2, kw // 2] = m
    return w


def he(gen, shape):
    fan_in = math.prod(shape[1:])
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64) * math.sqrt(2.0 / fan_in)


def he_fan_out(gen, shape):
    """N(0, 2 / (C_out k k)): how the Fixup authors' code draws its branch convs."""
    fan_out = shape[0] * math.prod(shape[2:])
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64) * math.sqrt(2.0 / fan_out)


def _branch(b):
    """A block's residual-branch convs in order (conv1, conv2[, conv3])."""
    return [b.conv1, b.conv2] + ([b.conv3] if hasattr(b, "conv3") else [])


# ---- walking the model ----------------------------------------------------------------

def _set(tensor, value):
    with torch.no_grad():
        tensor.copy_(torch.as_tensor(value, dtype=torch.float64).reshape(tensor.shape))


def _reset_common(model, a_res, a_skip):
    """BatchNorm gamma 1, beta 0, running stats 0 / 1; every bias 0; the block scalars."""
    for name, t in list(model.named_parameters()) + list(model.named_buffers()):
        leaf = name.rsplit(".", 1)[-1]
        if leaf == "gamma" or leaf == "runningVar":
            _set(t, torch.ones(t.shape))
        elif leaf in ("beta", "runningMean", "bias", "bias1a", "bias1b", "bias2a", "bias2b", "bias3a", "bias3b"):
            _set(t, torch.zeros(t.shape))
    for b in model.blocks:
        _set(b.aRes, a_res)
        _set(b.aSkip, a_skip)


def _he_everywhere(model, gen):
    for conv in _convs(model):
        _set(conv.weight, he(gen, conv.weight.shape))
    _set(model.head.fc.weight, he(gen, model.head.fc.weight.shape))


def _convs(model):
    out = [model.stem.conv]
    for b in model.blocks:
        out += _branch(b) + ([b.skipConv] if b.projection else [])
    return out


def _looks_linear_ends(model, gen):
    """Risotto's stem delta([U0; -U0]) and classifier [V, -V]."""
    stem = model.stem.conv.weight
    cin = model.config["inputChannels"]
    u0 = orth(gen, stem.shape[0] // 2, cin)
    _set(stem, delta(torch.cat([u0, -u0], 0), stem.shape))
    fc = model.head.fc.weight
    v = orth(gen, fc.shape[0], fc.shape[1] // 2)
    _set(fc, torch.cat([v, -v], 1))


# ---- requirements (the same sentences as the lab) -------------------------------------

def requirements(scheme, cfg):
    out = []
    if scheme in ("risotto", "looksLinearNoCorrection"):
        if cfg["width"] % 2:
            out.append("needs an even width (looks-linear layers pair each channel with its negation)")
        if cfg["width"] // 2 < cfg["inputChannels"]:
            out.append("needs width / 2 >= inputChannels")
    if scheme == "risotto" and cfg.get("block", "basic") == "bottleneck" and cfg["skip"] == "B":
        out.append("Risotto on bottleneck blocks needs Type C (projection) skips: an identity skip would need "
                   "(Q - a_skip I) d, of rank n, from the narrower bottleneck. Set skip to C")
    if scheme == "risotto" and not cfg["postAddRelu"]:
        out.append("Risotto needs the post-addition ReLU: turn postAddRelu on")
    if scheme in ("fixup", "skipinit", "rezero") and cfg["batchNorm"]:
        out.append("%s replaces BatchNorm: turn batchNorm off" % scheme)
    if scheme in ("fixup", "skipinit", "rezero") and not cfg["learnRes"]:
        out.append("%s learns a_res: turn learnRes on" % scheme)
    if scheme == "fixup" and not cfg["fixupBiases"]:
        out.append("Fixup needs its scalar biases: turn fixupBiases on")
    if scheme == "skipinit" and not cfg["postAddRelu"]:
        out.append("SkipInit keeps the post-addition ReLU: turn postAddRelu on")
    if scheme == "rezero" and cfg["postAddRelu"]:
        out.append("ReZero has no ReLU after the addition: turn postAddRelu off")
    return out


def config_for(scheme, cfg):
    """The architecture flags a scheme needs, set on a copy of `cfg` (as the lab does)."""
    c = dict(cfg)
    if scheme == "fixup":
        c.update(batchNorm=False, fixupBiases=True, learnRes=True)
    elif scheme == "skipinit":
        c.update(batchNorm=False, learnRes=True, postAddRelu=True)
    elif scheme == "rezero":
        c.update(batchNorm=False, learnRes=True, postAddRelu=False)
    elif scheme == "risotto":
        c.update(postAddRelu=True)
    return c


# ---- the schemes ----------------------------------------------------------------------

def _risotto(model, gen, a_res=1.0, a_skip=1.0, permutation="identity"):
    if a_res == 0 or a_skip == 0:
        raise ValueError("Risotto's a_res and a_skip must be non-zero (the construction divides by them)")
    _reset_common(model, a_res, a_skip)
    _looks_linear_ends(model, gen)
    for b in model.blocks:
        if hasattr(b, "conv3"):  # bottleneck: U1, U2, U3, Q, Us = (Q - a_res U3 U2 U1) / a_skip
            n_in, n_mid, n_out = b.conv1.weight.shape[1] // 2, b.conv1.weight.shape[0] // 2, b.conv3.weight.shape[0] // 2
            u1, u2, u3 = orth(gen, n_mid, n_in), orth(gen, n_mid, n_mid), orth(gen, n_out, n_mid)
            q = orth(gen, n_out, n_in)
            us = (q - a_res * u3 @ u2 @ u1) / a_skip
            for conv, m in ((b.conv1, u1), (b.conv2, u2), (b.conv3, u3), (b.skipConv, us)):
                _set(conv.weight, delta(looks_linear(m), conv.weight.shape))
        elif b.projection:  # Type C: U1, U2, Q, Us = (Q - a_res U2 U1) / a_skip
            n_in, n_out = b.conv1.weight.shape[1] // 2, b.conv1.weight.shape[0] // 2
            u1, u2, q = orth(gen, n_out, n_in), orth(gen, n_out, n_out), orth(gen, n_out, n_in)
            us = (q - a_res * u2 @ u1) / a_skip
            _set(b.conv1.weight, delta(looks_linear(u1), b.conv1.weight.shape))
            _set(b.conv2.weight, delta(looks_linear(u2), b.conv2.weight.shape))
            _set(b.skipConv.weight, delta(looks_linear(us), b.skipConv.weight.shape))
        else:  # Type B: conv1 = LL(P), conv2 = (LL(Q) - a_skip I) Pi^T / a_res
            n = b.conv1.weight.shape[0] // 2
            if permutation == "random":
                p = torch.eye(n, dtype=torch.float64)[:, torch.randperm(n, generator=gen)]
            elif permutation == "identity":
                p = torch.eye(n, dtype=torch.float64)
            else:
                raise ValueError("permutation must be 'identity' or 'random', got %r" % (permutation,))
            q = orth(gen, n, n)
            pi = torch.block_diag(p, p)
            w2 = (looks_linear(q) - a_skip * torch.eye(2 * n, dtype=torch.float64)) @ pi.T / a_res
            _set(b.conv1.weight, delta(looks_linear(p), b.conv1.weight.shape))
            _set(b.conv2.weight, delta(w2, b.conv2.weight.shape))


def _fixup(model, gen, L=None, m=None):
    """The last conv of each branch 0, the others fan-out He times L^(-1/(2m-2)) with m
    the convs per branch (2 basic, 3 bottleneck); stem and projection skips He."""
    L = L or len(model.blocks)
    _reset_common(model, 1.0, 1.0)
    _he_everywhere(model, gen)
    for b in model.blocks:
        convs = _branch(b)
        scale = L ** (-1.0 / (2 * (m or len(convs)) - 2))
        for conv in convs[:-1]:
            _set(conv.weight, he_fan_out(gen, conv.weight.shape) * scale)
        _set(convs[-1].weight, torch.zeros(convs[-1].weight.shape))
    _set(model.head.fc.weight, torch.zeros(model.head.fc.weight.shape))


def _zero_residual(model, gen):
    _reset_common(model, 0.0, 1.0)
    _he_everywhere(model, gen)


def _he(model, gen):
    _reset_common(model, 1.0, 1.0)
    _he_everywhere(model, gen)


def _delta_orthogonal(model, gen):
    _reset_common(model, 1.0, 1.0)
    for conv in _convs(model):
        w = conv.weight
        _set(w, delta(orth(gen, w.shape[0], w.shape[1]), w.shape))
    fc = model.head.fc.weight
    _set(fc, orth(gen, fc.shape[0], fc.shape[1]))


def _looks_linear_no_correction(model, gen):
    _reset_common(model, 1.0, 1.0)
    _looks_linear_ends(model, gen)
    for b in model.blocks:
        for conv in _branch(b) + ([b.skipConv] if b.projection else []):
            w = conv.weight
            _set(w, delta(looks_linear(orth(gen, w.shape[0] // 2, w.shape[1] // 2)), w.shape))


_IMPLS = {
    "risotto": (_risotto, {"aRes": "a_res", "aSkip": "a_skip", "permutation": "permutation"}),
    "he": (_he, {}),
    "fixup": (_fixup, {"L": "L", "m": "m"}),
    "skipinit": (_zero_residual, {}),
    "rezero": (_zero_residual, {}),
    "deltaOrthogonal": (_delta_orthogonal, {}),
    "looksLinearNoCorrection": (_looks_linear_no_correction, {}),
}


def initialize(model, scheme, seed=0, options=None):
    """Draws every parameter and buffer of `model` for `scheme` (options use the lab's
    names, e.g. {"aRes": 0.5}). Raises ValueError when the architecture does not fit."""
    if scheme not in _IMPLS:
        raise ValueError("unknown init scheme %r (known: %s)" % (scheme, ", ".join(SCHEMES)))
    problems = requirements(scheme, model.config)
    if problems:
        raise ValueError("%s does not apply to this architecture:\n- %s" % (scheme, "\n- ".join(problems)))
    fn, names = _IMPLS[scheme]
    options = dict(options or {})
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise ValueError("%s has no option %s (options: %s)" % (scheme, ", ".join(unknown), ", ".join(names) or "none"))
    gen = torch.Generator().manual_seed(int(seed))
    fn(model, gen, **{names[k]: v for k, v in options.items()})
    return model


def load_lab_weights(model, path):
    """Loads the lab's exported tensors into `model` exactly (float32 values copied bit
    for bit). Every tensor must match by name and shape, both ways."""
    tensors = load_file(path)
    own = model.state_dict()
    problems = ["missing tensor %s" % k for k in own if k not in tensors]
    problems += ["unexpected tensor %s (the file is for a different model?)" % k for k in tensors if k not in own]
    problems += ["%s has shape %s but the model needs %s" % (k, list(tensors[k].shape), list(own[k].shape))
                 for k in own if k in tensors and tensors[k].shape != own[k].shape]
    if problems:
        raise ValueError("%s does not fit this model:\n- %s" % (path, "\n- ".join(problems[:10])))
    model.load_state_dict({k: v.to(own[k].dtype) for k, v in tensors.items()}, strict=True)
    return model
