"""Checks that this PyTorch model reproduces the lab: for every run of the export, the
model built by model.py with the lab's initial weights gives the lab's logits and
last-block features on the lab's probe input (parity.safetensors), in training mode
(BatchNorm on batch statistics) and in eval mode (running statistics).

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

from init import load_lab_weights  # noqa: E402
from model import ResNet  # noqa: E402
from safetensors_io import load_file  # noqa: E402

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


def main():
    p = argparse.ArgumentParser(description="Compare this model's outputs with the lab's.")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = p.parse_args()
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    probe = load_file(os.path.join(HERE, "parity.safetensors"))
    results = []
    for run in cfg["runs"]:
        errors = {"float32": check(run, probe, torch.float32), "float64": check(run, probe, torch.float64)}
        worst = max(max(e.values()) for e in errors.values())
        results.append({"run": run["key"], "errors": errors, "worst": worst, "ok": worst <= TOLERANCE})
    ok = all(r["ok"] for r in results)
    if args.json:
        print(json.dumps({"tolerance": TOLERANCE, "ok": ok, "results": results}, indent=1))
    else:
        print("parity with the lab (max relative error over logits and features, train and eval mode; tolerance %g)" % TOLERANCE)
        for r in results:
            print("  %-28s float32 %.2e   float64 %.2e   %s" % (r["run"], max(r["errors"]["float32"].values()),
                                                              max(r["errors"]["float64"].values()), "ok" if r["ok"] else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
