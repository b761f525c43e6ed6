"""Trains the exported Risotto Lab experiment in PyTorch, on one process or many.

    python3 train.py                                   # one process (GPU if present)
    torchrun --standalone --nproc_per_node=4 train.py  # DistributedDataParallel

Reads config.json beside this file (the lab's experiment: runs, architecture,
optimizer, schedule, batch size, steps, augmentation, mixup) and starts every run from the
lab's exact initial weights (weights/<run>.safetensors), or from a fresh PyTorch
initialisation of the same scheme with --init fresh (any model size). Every run is
trained with each of the experiment's seeds (weights/<run>_seed<N>.safetensors for the
later ones). Writes <out>/metrics.csv in the lab's CSV format with its history columns
(per-block gradient norms, learnable a_res / a_skip; import it in the lab to overlay the
runs), <out>/results.json and <out>/checkpoints/<run>.pt (resume with --resume).
"""

import argparse
import csv
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import data as lab_data  # noqa: E402
from history import History, history_columns  # noqa: E402
import mixup  # noqa: E402
from init import config_for, initialize, load_lab_weights  # noqa: E402
from model import ResNet  # noqa: E402
from safetensors_io import save_file  # noqa: E402

CSV_COLUMNS = ["run", "seed", "scheme", "status", "step", "epoch", "lr", "train_loss", "train_acc", "grad_norm", "test_loss", "test_acc"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--config", default=os.path.join(HERE, "config.json"), help="the exported config.json")
    p.add_argument("--runs", help="comma-separated run keys to train (default: every run of the experiment)")
    p.add_argument("--data", default="auto", choices=["auto", "lab", "cifar10", "cifar100", "tinyimagenet", "imagefolder"],
                   help="auto = the dataset exported with the experiment, else the benchmark it names; lab = the exported dataset")
    p.add_argument("--data-dir", help="torchvision root (cifar), the tiny-imagenet-200 folder, or an image folder with train/ and test/")
    p.add_argument("--download", action="store_true", help="let torchvision download CIFAR into --data-dir")
    p.add_argument("--init", default="lab", choices=["lab", "fresh"], help="lab: the exported initial weights; fresh: re-initialise in PyTorch")
    p.add_argument("--full", action="store_true", help="the experiment's full-size run: --init fresh at its full-size width for its full-size epochs")
    p.add_argument("--width", type=int, help="--init fresh: base width")
    p.add_argument("--blocks", help="--init fresh: blocks per stage, e.g. 2,2,2,2")
    p.add_argument("--steps", type=int, help="override the experiment's steps (the cosine schedule stretches with it)")
    p.add_argument("--epochs", type=float, help="train for this many epochs instead of --steps")
    p.add_argument("--batch-size", type=int, help="global batch size (split over processes)")
    p.add_argument("--lr", type=float, help="override the base learning rate")
    p.add_argument("--seed", type=int, help="override the experiment's seed (data order, augmentation, fresh init); seed k of a run is this + k")
    p.add_argument("--out", default="runs/pytorch", help="output folder")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda")
    p.add_argument("--amp", action="store_true", help="bfloat16 autocast for the forward pass (faster on recent GPUs; the lab trains in float32)")
    p.add_argument("--checkpoint-every", type=int, default=500, help="steps between checkpoints")
    p.add_argument("--resume", action="store_true", help="continue from <out>/checkpoints/<run>.pt")
    p.add_argument("--stop-after", type=int, help="train at most this many steps in this invocation, checkpoint, and stop (resume later with --resume)")
    p.add_argument("--dump-rank-params", action="store_true", help="write each process's final parameters to <out>/params.<run>.rank<r>.safetensors")
    return p.parse_args(argv)


class Dist:
    """Rank, world size and device; torchrun's environment turns on DDP."""

    def __init__(self, device_arg):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        cuda = torch.cuda.is_available() and device_arg in ("auto", "cuda")
        if device_arg == "cuda" and not torch.cuda.is_available():
            raise SystemExit("--device cuda: no CUDA device is visible to PyTorch")
        self.device = torch.device("cuda", local) if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(self.device)
            torch.backends.cudnn.benchmark = True  # fixed shapes: pick the fastest conv algorithms once
        if self.world > 1:
            dist.init_process_group("nccl" if cuda else "gloo")

    def mean(self, values):
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.world > 1:
            dist.all_reduce(t)
            t /= self.world
        return t.tolist()

    def log(self, msg):
        if self.rank == 0:
            print(msg, flush=True)


def lr_at(training, base_lr, step, total):
    """The lab's schedule (src/nn/schedule.ts) at 1-based `step`."""
    warm_steps = training["warmupSteps"]
    s = training["schedule"]
    warm = step / warm_steps if step <= warm_steps else 1.0
    if s["kind"] == "constant":
        return warm * base_lr
    if s["kind"] == "step":
        return warm * base_lr * s["gamma"] ** sum(1 for m in s["milestones"] if step > m)
    min_lr = s.get("minLr", 0.0)
    span = total - warm_steps - 1
    t = 1.0 if step >= total else max(0.0, (step - warm_steps - 1) / span) if span > 0 else 0.0
    return warm * (min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * t)) / 2)


def param_groups(model, group=None):
    """One group, or with the run's scalarGroup two: the scalar (1-element) parameters
    (learned a_res / a_skip, Fixup's biases) at lrScale times the learning rate with
    their own weight decay, as the Fixup authors train them. Each group carries its
    lr_scale, which set_lr applies every step."""
    params = list(model.parameters())
    if not group:
        return [{"params": params, "lr_scale": 1.0}]
    scalars = [p for p in params if p.numel() == 1]
    others = [p for p in params if p.numel() != 1]
    return [{"params": others, "lr_scale": 1.0},
            {"params": scalars, "lr_scale": group["lrScale"], "weight_decay": group["weightDecay"]}]


def make_optimizer(model, o, group=None):
    groups = param_groups(model, group)
    if o["kind"] in ("sgd", "sgd-nesterov"):
        opt = torch.optim.SGD(groups, lr=o["lr"], momentum=o["momentum"], weight_decay=o["weightDecay"], nesterov=o["kind"] == "sgd-nesterov")
    else:
        cls = torch.optim.AdamW if o["kind"] == "adamw" else torch.optim.Adam
        opt = cls(groups, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weightDecay"])
    set_lr(opt, o["lr"])
    return opt


def set_lr(opt, lr):
    """The step's learning rate, times each parameter group's share."""
    for g in opt.param_groups:
        g["lr"] = lr * g.get("lr_scale", 1.0)


def set_scalars(model, scalars):
    """Every block's a_res / a_skip the run fixes (for schemes without such an option)."""
    with torch.no_grad():
        for name, t in list(model.named_parameters()) + list(model.named_buffers()):
            key = name.rsplit(".", 1)[-1]
            if key in scalars:
                t.fill_(scalars[key])
    return model


def full_size(args, exp):
    """--full: what the experiment's full-size settings say, unless a flag says otherwise."""
    if exp.get("fullWidth") is None and exp.get("fullEpochs") is None:
        raise SystemExit("--full: this experiment has no full-size settings (set 'Full-size width' / 'Full-size epochs' in the lab, "
                         "or use --init fresh --width W --epochs E)")
    args.init = "fresh"
    if args.width is None and exp.get("fullWidth") is not None:
        args.width = int(exp["fullWidth"])
    if args.epochs is None and args.steps is None and exp.get("fullEpochs") is not None:
        args.epochs = float(exp["fullEpochs"])


def seeds_of(run, training, override=None):
    """The seeds a run trains with: each with its index, seed, file name and weights
    (an export without seeds: the experiment's one). --seed moves them all: seed k is
    the given seed + k, as the lab derives them."""
    seeds = run.get("seeds") or [{"index": 0, "seed": training["seed"], "file": run["file"], "weights": run["weights"]}]
    if override is None:
        return seeds
    return [dict(s, seed=(override + s["index"]) % 2 ** 32) for s in seeds]


def build_model(run, args, shape, seed, weights):
    cfg = dict(run["model"])
    if args.init == "fresh":
        cfg.update(inputChannels=shape[0], inputSize=shape[1], numClasses=shape[2])
        if args.width:
            cfg["width"] = args.width
        if args.blocks:
            cfg["blocksPerStage"] = [int(b) for b in args.blocks.split(",")]
        model = initialize(ResNet(config_for(run["scheme"], cfg)), run["scheme"], seed, run.get("options"))
        return set_scalars(model, run.get("scalars") or {})
    if args.width or args.blocks:
        raise SystemExit("--width / --blocks change the architecture: add --init fresh (the lab's weights fit only the exported model)")
    return load_lab_weights(ResNet(cfg), os.path.join(os.path.dirname(os.path.abspath(args.config)), weights))


def autocast(env, enabled):
    """bfloat16 autocast on the run's device when --amp is given (no loss scaling needed)."""
    return torch.autocast(env.device.type, dtype=torch.bfloat16, enabled=enabled)


def evaluate(model, batches, n, env, amp=False):
    model.eval()
    loss = correct = 0.0
    with torch.no_grad():
        for i in range(n):
            x, y, _ = batches.get(i)
            with autocast(env, amp):
                logits = model(x.to(env.device)).float()
            loss += F.cross_entropy(logits, y.to(env.device)).item()
            correct += (logits.argmax(1).cpu() == y).double().mean().item()
    model.train()
    return env.mean([loss / n, correct / n])


def train_run(run, run_seed, cfg, args, env, train, test, normalize, shape):
    """Trains `run` with one of its seeds (seeds_of)."""
    t = cfg["training"]
    seed = run_seed["seed"]
    name = run["key"] if len(run.get("seeds") or [0]) == 1 else "%s seed %d" % (run["key"], run_seed["index"] + 1)
    batch = args.batch_size or t["batchSize"]
    per_epoch = len(train) // batch
    steps = int(math.ceil(args.epochs * per_epoch)) if args.epochs else (args.steps or t["steps"])
    total = steps if t["schedule"]["kind"] == "cosine" and (args.steps or args.epochs) else t["schedule"].get("totalSteps", steps)
    opt_cfg = dict(t["optimizer"], **({"lr": args.lr} if args.lr else {}))
    torch.manual_seed(seed)
    model = build_model(run, args, shape, seed, run_seed["weights"]).to(env.device)
    ddp = torch.nn.parallel.DistributedDataParallel(model, device_ids=[env.device] if env.device.type == "cuda" else None) if env.world > 1 else model
    opt = make_optimizer(model, opt_cfg, run.get("scalarGroup"))
    flip = t["augment"]["flip"]
    train_b = lab_data.Batches(train, batch, seed, normalize, True, {"flip": flip, "cropPad": t["augment"]["cropPad"]}, env.rank, env.world)
    test_b = lab_data.Batches(test, batch, seed, normalize, False, None, env.rank, env.world)
    n_eval = min(t["evalBatches"] or test_b.per_epoch, test_b.per_epoch)
    ckpt = os.path.join(args.out, "checkpoints", "%s.pt" % run_seed["file"])
    rows, start, status = [], 0, "finished"
    history = History(model)
    if args.resume and os.path.exists(ckpt):
        state = torch.load(ckpt, map_location=env.device)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        rows, start = state["rows"], state["step"]
        if "history" in state:
            history.load(state["history"])
        env.log("%s: resumed at step %d" % (name, start))
    model.train()
    t0 = time.time()
    last = min(steps, start + args.stop_after) if args.stop_after else steps
    if last < steps:
        status = "stopped"
    alpha = t["augment"].get("mixup") or 0
    for step in range(start + 1, last + 1):
        if alpha > 0:
            x, y, y2, lam, epoch = train_b.get_mixed(step - 1, alpha)
        else:
            x, y, epoch = train_b.get(step - 1)
        lr = lr_at(t, opt_cfg["lr"], step, total)
        set_lr(opt, lr)
        with autocast(env, args.amp):
            logits = ddp(x.to(env.device)).float()
        if alpha > 0:
            loss = mixup.loss(logits, y.to(env.device), y2.to(env.device), lam)
            y = mixup.dominant(y, y2, lam)  # the training accuracy counts the dominant label
        else:
            loss = F.cross_entropy(logits, y.to(env.device))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        history.after_backward(step)
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        gnorm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])).item()
        if opt_cfg.get("clipNorm"):
            torch.nn.utils.clip_grad_norm_(model.parameters(), opt_cfg["clipNorm"])
        opt.step()
        history.after_update(step)
        acc = (logits.argmax(1) == y.to(env.device)).double().mean().item()
        loss_v, acc_v = env.mean([loss.item(), acc])
        row = {"step": step, "epoch": epoch, "lr": lr, "train_loss": loss_v, "train_acc": acc_v, "grad_norm": gnorm}
        if not math.isfinite(loss_v):
            status = "diverged"
        if step % t["evalEvery"] == 0 or step == steps or status == "diverged":
            row["test_loss"], row["test_acc"] = evaluate(ddp, test_b, n_eval, env, args.amp) if status != "diverged" else (float("nan"), float("nan"))
            env.log("%s step %d/%d  loss %.4f  acc %.3f  test acc %.3f  (%.1f steps/s)" % (name, step, steps, loss_v, acc_v, row["test_acc"], (step - start) / (time.time() - t0)))
        rows.append(row)
        if status == "diverged":
            env.log("%s diverged at step %d (loss %s)" % (name, step, loss_v))
            break
        if env.rank == 0 and (step % args.checkpoint_every == 0 or step == last):
            os.makedirs(os.path.dirname(ckpt), exist_ok=True)
            torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "rows": rows, "step": step, "history": history.state()}, ckpt)
    if args.dump_rank_params:
        os.makedirs(args.out, exist_ok=True)  # every rank: rank 0 may not have made it yet
        params = {n: p.detach().cpu() for n, p in model.named_parameters()}
        save_file(params, os.path.join(args.out, "params.%s.rank%d.safetensors" % (run_seed["file"], env.rank)))
    return {"key": run["key"], "seed": seed, "scheme": run["scheme"], "status": status, "rows": rows, "steps": steps, "history": history}


def csv_cell(v):
    """Empty for a missing value or NaN; floats at full precision (repr), as the lab writes them."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return repr(v) if isinstance(v, float) else str(v)


def write_results(out, results, env, meta):
    if env.rank != 0:
        return
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, "metrics.csv.tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        extra = history_columns([r["history"] for r in results])
        w.writerow(CSV_COLUMNS + extra)
        for r in results:
            cells = r["history"].cells()
            for row in r["rows"]:
                more = cells.get(row["step"], {})
                w.writerow([r["key"], r["seed"], r["scheme"], r["status"]] + [csv_cell(row.get(c)) for c in CSV_COLUMNS[4:]] + [csv_cell(more.get(c)) for c in extra])
    os.replace(tmp, os.path.join(out, "metrics.csv"))
    summary = [{k: v for k, v in r.items() if k not in ("rows", "history")} | {"final": r["rows"][-1] if r["rows"] else None} for r in results]
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(dict(meta, runs=summary), f, indent=1)


def main(argv=None):
    args = parse_args(argv)
    with open(args.config) as f:
        cfg = json.load(f)
    if cfg.get("format") != "risotto-lab-pytorch":
        raise SystemExit("%s is not a Risotto Lab PyTorch export config" % args.config)
    if args.full:
        full_size(args, cfg["experiment"])
    env = Dist(args.device)
    ds = cfg["dataset"]
    shape = (ds["channels"], ds["size"], ds["classes"])
    args.data = lab_data.source_for(args.data, ds, os.path.dirname(os.path.abspath(args.config)))
    train, test = lab_data.load(args.data, args.data_dir, os.path.dirname(os.path.abspath(args.config)), shape, args.download)
    if args.init == "fresh":
        classes = ds["classes"] if args.data == "lab" else int(train.labels.max()) + 1
        shape = (train.images.shape[1], train.images.shape[2], classes)
    normalize = tuple(ds["normalize"][k] for k in ("mean", "std")) if args.data == "lab" else lab_data.channel_stats(train)
    wanted = args.runs.split(",") if args.runs else [r["key"] for r in cfg["runs"]]
    unknown = [k for k in wanted if k not in {r["key"] for r in cfg["runs"]}]
    if unknown:
        raise SystemExit("unknown run %s; this export has %s" % (", ".join(unknown), ", ".join(r["key"] for r in cfg["runs"])))
    meta = {"source": "pytorch", "torch": torch.__version__, "world_size": env.world, "device": str(env.device), "data": args.data, "init": args.init, "amp": args.amp}
    results = []
    for run in [r for r in cfg["runs"] if r["key"] in wanted]:
        for run_seed in seeds_of(run, cfg["training"], args.seed):
            env.log("== %s seed %d (%s init, %d process%s on %s)" % (run["key"], run_seed["seed"], args.init, env.world, "es" if env.world > 1 else "", env.device))
            results.append(train_run(run, run_seed, cfg, args, env, train, test, normalize, shape))
            write_results(args.out, results, env, meta)
    env.log("metrics: %s (import it in the lab: Results > Import PyTorch CSV)" % os.path.join(args.out, "metrics.csv"))
    if env.world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
