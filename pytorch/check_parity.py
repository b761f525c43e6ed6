"""Checks that this PyTorch model reproduces the lab: for every run of the export, the
model built by model.py with the lab's initial weights gives the lab's logits and
last-block features on the lab's probe input (parity.safetensors), in training mode
(BatchNorm on batch statistics) and in eval mode (running statistics); and the first
two training steps with train.py's optimizer and learning rates change every
parameter as the lab's steps do (same optimizer, weight decay, clipping, schedule,
scalar parameter group, and mixup: the lab's draws for those steps are in
parity.safetensors, mixed and weighted by mixup.py).

    python3 check_parity.py          # a table; exit status 1 when any check fails
    python3 check_parity.py --json   # the same as JSON
"""

import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch.nn.functional as F  # noqa: E402

import mixup  # noqa: E402
from init import load_lab_weights  # noqa: E402
from model import ResNet  # noqa: E402
from safetensors_io import load_file, metadata  # noqa: E402
from train import lr_at, make_optimizer, set_lr  # noqa: E402

TOLERANCE = 1e-4  # relative to the largest lab value


def rel_err(got, want):
    scale = want.abs().max().item()
    diff = (got.double() - want.double()).abs().max().item()
    return diff / scale if scale > 0 else diff


def check(run, probe, dtype):
    """Relative errors per (mode, output) for one run in one precision."""
    out = {}
    for mode in ("train", "eval"):
        model = load_lab_weights(ResNet(run["model"]), os.path.join(HERE, run["weights"])).to(dtype)
        model.train(mode == "train")
        with torch.no_grad():
            z = probe["input"].to(dtype)
            feats = model.features(z)
            logits = model.head(feats)
        for name, got in (("logits", logits), ("features", feats)):
            out["%s.%s" % (mode, name)] = rel_err(got, probe["%s.%s.%s" % (name, run["file"], mode)])
    return out


def check_steps(run, probe, names, training):
    """Relative errors of the first training steps (float64): losses, each tensor's
    change norm, and the change of its first values."""
    model = load_lab_weights(ResNet(run["model"]), os.path.join(HERE, run["weights"])).double()
    model.train()
    params = dict(model.named_parameters())
    before = {n: p.detach().clone() for n, p in params.items()}
    opt_cfg = training["optimizer"]
    opt = make_optimizer(model, opt_cfg, run.get("scalarGroup"))
    total = training["schedule"].get("totalSteps", training["steps"])
    losses = []
    mixed = (training["augment"].get("mixup") or 0) > 0
    for step in range(1, probe["steps.loss.%s" % run["file"]].numel() + 1):
        set_lr(opt, lr_at(training, opt_cfg["lr"], step, total))
        x, y = probe["input"].double(), probe["labels"].long()
        if mixed:
            lam = probe["steps.mix.lambda"][step - 1].double().item()
            x, y, y2 = mixup.mix(x, y, lam, probe["steps.mix.perm"][step - 1].long())
            loss = mixup.loss(model(x), y, y2, lam)
        else:
            loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        if opt_cfg.get("clipNorm"):
            torch.nn.utils.clip_grad_norm_(model.parameters(), opt_cfg["clipNorm"])
        opt.step()
        losses.append(loss.item())
    if sorted(names) != sorted(params):
        raise ValueError("trainable tensors differ from the lab's: %s" % sorted(set(names) ^ set(params)))
    want_norms = probe["steps.deltaNorm.%s" % run["file"]].double()
    floor = 1e-2 * want_norms.max().item()
    norm_err = sample_err = 0.0
    for i, name in enumerate(names):
        delta = (params[name].detach() - before[name]).reshape(-1)
        scale = max(want_norms[i].item(), floor, 1e-30)
        norm_err = max(norm_err, abs(delta.norm().item() - want_norms[i].item()) / scale)
        want = probe["steps.delta.%s.%s" % (run["file"], name)].double()
        sample_err = max(sample_err, (delta[:want.numel()] - want).abs().max().item() / scale)
    return {"steps.loss": rel_err(torch.tensor(losses, dtype=torch.float64), probe["steps.loss.%s" % run["file"]]),
            "steps.deltaNorm": norm_err, "steps.deltaSample": sample_err}


def main():
    p = argparse.ArgumentParser(description="Compare this model's outputs with the lab's.")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = p.parse_args()
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    probe = load_file(os.path.join(HERE, "parity.safetensors"))
    meta = metadata(os.path.join(HERE, "parity.safetensors"))
    results = []
    for run in cfg["runs"]:
        errors = {"float32": check(run, probe, torch.float32), "float64": check(run, probe, torch.float64)}
        errors["float64"].update(check_steps(run, probe, json.loads(meta["steps.names.%s" % run["file"]]), cfg["training"]))
        worst = max(max(e.values()) for e in errors.values())
        results.append({"run": run["key"], "errors": errors, "worst": worst, "ok": worst <= TOLERANCE})
    ok = all(r["ok"] for r in results)
    if args.json:
        print(json.dumps({"tolerance": TOLERANCE, "ok": ok, "results": results}, indent=1))
    else:
        print("parity with the lab (max relative error over logits and features in train and eval mode,")
        print("and over the first training steps' parameter changes in float64; tolerance %g)" % TOLERANCE)
        for r in results:
            print("  %-28s float32 %.2e   float64 %.2e   %s" % (r["run"], max(r["errors"]["float32"].values()),
                                                              max(r["errors"]["float64"].values()), "ok" if r["ok"] else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
