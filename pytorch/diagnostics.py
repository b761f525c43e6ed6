"""The lab's diagnostics of every run at initialisation, computed in PyTorch (float64)
for the exported weights, on the lab's own inputs (diagnostics.safetensors):

- BatchNorm mode: "batch" normalises every BN layer with the per-channel mean and
  biased variance of a fixed reference batch (32 inputs of the probe's kind), held
  constant when differentiating; "running" uses the running statistics (the inference
  function; at initialisation BN is then the identity). Networks without BN give the
  same numbers in both modes.
- Jacobian spectrum: J = d target / d start at the probe (start: the image, or the
  stem's output; target: the last block's output, or the end of a stage), its singular
  values, numerical rank (values above RANK_RTOL * sigma_max), zeros, max |sigma - 1|,
  mean sigma^2, condition number, and the reach map (per input pixel, the norm of its
  columns of J).
- Signal propagation over the lab's K input pairs: after the stem and every block the
  mean square per unit q, the cosine of the pair's activations and, for looks-linear
  schemes, the cosine of the signals d = x_top - x_bottom; per block the branch balance
  |a_res F(x)| / |a_skip S(x)|. Each as the mean over pairs (inputs) with min and max.

    python3 diagnostics.py                 # a summary table
    python3 diagnostics.py --json          # every number, in the lab's record format
    python3 diagnostics.py --out diag.json --bn-stats both
"""

import argparse
import copy
import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from init import load_lab_weights  # noqa: E402
from model import LabBatchNorm2d, ResNet  # noqa: E402
from safetensors_io import load_file  # noqa: E402


def band(values):
    """Mean, min and max over the finite values (None when there are none)."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return {"mean": None, "min": None, "max": None}
    return {"mean": sum(finite) / len(finite), "min": min(finite), "max": max(finite)}


def cosine(a, b):
    na, nb = a.norm().item(), b.norm().item()
    return (a @ b).item() / (na * nb) if na > 0 and nb > 0 else float("nan")


def with_batch_stats(model, reference):
    """A copy of `model` in eval mode whose BN layers normalise with the reference batch's
    per-channel mean and biased variance (what a training-mode forward pass divides by)."""
    moments = {}
    probe = copy.deepcopy(model).train()
    hooks = []
    for name, m in probe.named_modules():
        if isinstance(m, LabBatchNorm2d):
            def record(_module, args, name=name):
                x = args[0]
                moments[name] = (x.mean(dim=(0, 2, 3)), x.var(dim=(0, 2, 3), unbiased=False))
            hooks.append(m.register_forward_pre_hook(record))
    with torch.no_grad():
        probe(reference)
    for h in hooks:
        h.remove()
    fixed = copy.deepcopy(model).eval()
    for name, m in fixed.named_modules():
        if name in moments:
            m.runningMean.copy_(moments[name][0])
            m.runningVar.copy_(moments[name][1])
    return fixed


def network_in_mode(run, mode, reference):
    model = load_lab_weights(ResNet(run["model"]), os.path.join(HERE, run["weights"])).double().eval()
    if mode == "batch" and run["model"]["batchNorm"]:
        return with_batch_stats(model, reference.double())
    return model


def target_blocks(model, to_stage):
    """The blocks the spectrum's map runs through: all, or up to the end of a stage."""
    if not to_stage:
        return model.blocks
    stages = sorted({b.stage for b in model.blocks})
    if to_stage not in stages:
        raise ValueError("stage %d does not exist: the model has stages %s" % (to_stage, stages))
    last = max(i for i, b in enumerate(model.blocks) if b.stage == to_stage)
    return model.blocks[:last + 1]


def spectrum(model, probe, d):
    blocks = target_blocks(model, d.get("toStage"))

    def through(x):
        for b in blocks:
            x = b(x)
        return x

    with torch.no_grad():
        start = model.stem(probe) if d["from"] == "stem" else probe
    f = through if d["from"] == "stem" else (lambda z: through(model.stem(z)))
    j = torch.autograd.functional.jacobian(f, start)
    rows, cols = f(start).numel(), start.numel()
    j = j.reshape(rows, cols)
    sigma = torch.linalg.svdvals(j)
    sigma_max = sigma[0].item() if sigma.numel() else 0.0
    tol = d["rankRtol"] * sigma_max
    non_zero = [s for s in sigma.tolist() if s > tol]
    channels, size = start.shape[1], start.shape[2]
    reach = j.reshape(rows, channels, size * size).pow(2).sum(dim=(0, 1)).sqrt()
    return {
        "singularValues": sigma.tolist(),
        "rank": len(non_zero),
        "rankThreshold": tol,
        "zeros": sigma.numel() - len(non_zero),
        "maxAbsDeviation": max((abs(s - 1) for s in non_zero), default=float("nan")),
        "meanSquared": (sigma.pow(2).sum() / sigma.numel()).item() if sigma.numel() else float("nan"),
        "condition": non_zero[0] / non_zero[-1] if non_zero else float("nan"),
        "rows": rows,
        "cols": cols,
        "reach": reach.tolist(),
        "reachSize": size,
        "from": d["from"],
        "target": "stage %d" % d["toStage"] if d.get("toStage") else "features",
    }


def signal(model, pairs, looks_linear):
    """pairs: 2K inputs, pair i in rows 2i and 2i + 1."""
    k = pairs.shape[0] // 2
    with torch.no_grad():
        x = model.stem(pairs)
        layers = [("stem", x)]
        balance = []
        for i, b in enumerate(model.blocks):
            res, skip = b.branches(x)
            x = b.combine(res, skip)
            name = b.scope
            layers.append((name, x))
            ratios = []
            for e in range(2 * k):
                nr, ns = res[e].norm().item(), skip[e].norm().item()
                ratios.append(nr / ns if ns > 0 else (float("inf") if nr > 0 else float("nan")))
            balance.append({"block": i, "name": name, "ratio": band(ratios)})
    out = []
    for depth, (name, act) in enumerate(layers):
        ex = act.reshape(2 * k, -1)
        layer = {
            "name": name,
            "depth": depth,
            "q": band([(v @ v).item() / v.numel() for v in ex]),
            "cosine": band([cosine(ex[2 * i], ex[2 * i + 1]) for i in range(k)]),
        }
        if looks_linear and act.shape[1] % 2 == 0:
            half = ex.shape[1] // 2
            d = ex[:, :half] - ex[:, half:]
            layer["signalCosine"] = band([cosine(d[2 * i], d[2 * i + 1]) for i in range(k)])
        out.append(layer)
    flat = pairs.reshape(2 * k, -1)
    return {"pairs": k, "inputCosine": band([cosine(flat[2 * i], flat[2 * i + 1]) for i in range(k)]), "layers": out, "balance": balance}


def finite_or_none(x):
    """JSON has no NaN or infinity: they become null."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: finite_or_none(v) for k, v in x.items()}
    if isinstance(x, list):
        return [finite_or_none(v) for v in x]
    return x


def measure(cfg, inputs, modes):
    d = cfg["diagnostics"]
    results = []
    for run in cfg["runs"]:
        # Without BatchNorm both modes are the same network: measure it once, labelled
        # with the experiment's mode as the lab does.
        once = [d["bnStats"] if d["bnStats"] in modes else modes[0]]
        for mode in modes if run["model"]["batchNorm"] else once:
            s_net = network_in_mode(run, mode, inputs["spectrum.reference"])
            p_net = network_in_mode(run, mode, inputs["signal.reference"])
            results.append({
                "run": run["key"],
                "bnStats": mode,
                "batchNorm": run["model"]["batchNorm"],
                "spectrum": spectrum(s_net, inputs["spectrum.probe"].double(), d),
                "signal": signal(p_net, inputs["signal.pairs"].double(), run.get("looksLinear", False)),
            })
    return results


def fmt(x):
    return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else "%.3g" % x


def table(results):
    print("%-28s %-8s %10s %10s %10s %6s %10s %10s %10s" % ("run", "BN", "sigma_max", "sigma_min", "max|s-1|", "rank", "q(last)", "cos(last)", "balance"))
    for r in results:
        s, g = r["spectrum"], r["signal"]
        nz = s["singularValues"][:s["rank"]]
        mode = r["bnStats"] if r["batchNorm"] else "none"
        bal = band([b["ratio"]["mean"] for b in g["balance"] if b["ratio"]["mean"] is not None])["mean"]
        print("%-28s %-8s %10s %10s %10s %6s %10s %10s %10s" % (
            r["run"], mode, fmt(nz[0] if nz else None), fmt(nz[-1] if nz else None), fmt(s["maxAbsDeviation"]),
            "%d/%d" % (s["rank"], len(s["singularValues"])), fmt(g["layers"][-1]["q"]["mean"]),
            fmt(g["layers"][-1]["cosine"]["mean"]), fmt(bal)))


def main():
    p = argparse.ArgumentParser(description="The lab's initialisation diagnostics, computed in PyTorch for the exported weights.")
    p.add_argument("--json", action="store_true", help="print every number as JSON instead of a table")
    p.add_argument("--out", help="also write the JSON to this file")
    p.add_argument("--bn-stats", choices=("batch", "running", "both", "experiment"), default="experiment",
                   help="BatchNorm mode: the experiment's (default), batch or running statistics, or both")
    args = p.parse_args()
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    if "diagnostics" not in cfg:
        sys.exit("config.json has no 'diagnostics' entry: export the experiment again from a newer lab")
    d = cfg["diagnostics"]
    inputs = load_file(os.path.join(HERE, d["file"]))
    chosen = {"experiment": [d["bnStats"]], "both": ["batch", "running"]}.get(args.bn_stats, [args.bn_stats])
    report = finite_or_none({"diagnostics": d, "results": measure(cfg, inputs, chosen)})
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)
    if args.json:
        print(json.dumps(report))
    else:
        table(report["results"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
