// The README of a PyTorch export: what is in the folder and the exact commands for one
// process, several GPUs and several nodes. The commands in the CPU section are run
// verbatim by the tests (pytorchPackage.python.test.ts), so keep them runnable as written.

import type { PytorchConfig } from './pytorchConfig';

/** Commands the tests run exactly as the README prints them (on CPU). */
export const README_COMMANDS = {
  parity: 'python3 check_parity.py',
  diagnostics: 'python3 diagnostics.py',
  single: 'python3 train.py',
  multiGpu: 'torchrun --standalone --nproc_per_node=2 train.py',
  /** The same under PyTorch 1.13 + Python 3.11 (Debian 12), whose torchrun cannot parse
   * its own default --redirects / --tee values. */
  multiGpuCompat: 'torchrun --standalone --nproc_per_node=2 --redirects 1 --tee 1 train.py',
  /** Node 0 of 2; HOST is node 0's address. */
  multiNode: 'torchrun --nnodes=2 --node_rank=0 --nproc_per_node=8 --master_addr=HOST --master_port=29500 train.py',
  /** Stop after 1000 steps (a job's time limit), then continue exactly where it stopped. */
  stopAfter: 'python3 train.py --stop-after 1000',
  resume: 'python3 train.py --resume',
  /** Class-named image folders: ./images/train/<class>/*.png and ./images/test/<class>/*.png. */
  imageFolder: 'python3 train.py --data imagefolder --data-dir ./images',
} as const;

/** The message of that torchrun bug, so tests can tell it from a real failure. */
export const TORCHRUN_COMPAT_ERROR = "'NoneType' object has no attribute 'get'";

function describeModel(c: PytorchConfig): string {
  const m = c.runs[0].model;
  const blocks = m.blocksPerStage.join(', ');
  const kind = `${m.block === 'bottleneck' ? 'bottleneck' : 'basic'} blocks${m.stem === 'imagenet' ? ', ImageNet stem (7x7 stride 2 + max-pool)' : ''}`;
  return `ResNet with blocks per stage [${blocks}] (${kind}), width ${m.width}, Type ${m.skip} skips, input ${m.inputChannels}x${m.inputSize}x${m.inputSize}, ${m.numClasses} classes`;
}

/** The experiment's full-size run (train.py --full), when it has full-size settings. */
function fullRunSection(c: PytorchConfig): string {
  const { fullWidth, fullEpochs } = c.experiment;
  if (fullWidth === undefined && fullEpochs === undefined) return '';
  const what = [
    fullWidth !== undefined ? `width ${fullWidth}` : `the lab's width`,
    fullEpochs !== undefined ? `${fullEpochs} epochs` : `the lab's ${c.training.steps} steps`,
  ].join(', ');
  const download = c.dataset.standard && c.dataset.standard !== 'tinyimagenet' ? ' --download' : '';
  return `The full-size run this experiment describes (${what}; the lab trains a scaled-down model): every run is
initialised fresh in PyTorch with its scheme at that size and trained on the full dataset:

    torchrun --standalone --nproc_per_node=8 train.py --full${download}

(\`python3 train.py --full${download}\` on one GPU; flags such as \`--width\`, \`--epochs\` or \`--seed\` override it.)

`;
}
const seedWords = (seed: number, seeds: number) => (seeds > 1 ? `${seeds} seeds (${seed} to ${seed + seeds - 1})` : `seed ${seed}`);

export function readmeFor(c: PytorchConfig): string {
  const t = c.training;
  const group = (r: PytorchConfig['runs'][number]) => (r.scalarGroup ? `${r.scalarGroup.lrScale} x lr, decay ${r.scalarGroup.weightDecay}` : 'as the rest');
  const runs = c.runs.map((r) => `| \`${r.key}\` | ${r.label} | ${r.model.batchNorm ? 'yes' : 'no'} | ${group(r)} | ${r.paramCount.toLocaleString('en-US')} | \`${r.weights}\` |`).join('\n');
  const alpha = t.augment.mixup ?? 0;
  const mixing =
    alpha > 0
      ? `\n\nMixup with alpha ${alpha}: each training batch is mixed with a permutation of itself, lam ~ Beta(alpha, alpha) per batch, loss lam * CE(y) + (1 - lam) * CE(y[perm]); the training accuracy counts the label with the larger share. \`mixup.py\` draws lam and the permutation from Python's generator seeded by (seed, batch): the same distribution and math as the lab, not the same numbers (\`check_parity.py\` replays the lab's draws).`
      : '';
  const data = c.dataset.file
    ? `The lab's dataset "${c.dataset.name}" (${c.dataset.trainCount} training and ${c.dataset.testCount} test images) is in \`${c.dataset.file}\`; \`--data lab\` (the default) trains on exactly those images.`
    : c.dataset.standard
      ? `The experiment trains on ${c.dataset.name}, loaded at full size by \`--data ${c.dataset.standard}\` (the default, \`--data auto\`): ${c.dataset.standard === 'tinyimagenet' ? 'unzip tiny-imagenet-200.zip and pass `--data-dir tiny-imagenet-200`' : 'add `--download` once to fetch it into `--data-dir` (default ./data)'}.`
      : `The dataset "${c.dataset.name}" was not included; train with \`--data cifar10\`, \`--data cifar100\`, \`--data tinyimagenet --data-dir DIR\` or \`--data imagefolder --data-dir DIR\`.`;
  return `# Risotto Lab experiment, exported to PyTorch

${c.labUrl ? `Open it in the lab: ${c.labUrl}\n\n` : ''}${describeModel(c)}; ${t.optimizer.kind} at lr ${t.optimizer.lr}, ${t.schedule.kind} schedule, ${t.warmupSteps} warmup steps, batch ${t.batchSize}, ${t.steps} steps, ${seedWords(t.seed, t.seeds)}. Exported ${c.exportedAt}.${mixing}

| run | scheme | BatchNorm | scalar parameters train at | trainable parameters | initial weights |
| --- | --- | --- | --- | --- | --- |
${runs}

${data}

Needs Python 3.9+ and PyTorch (torchvision for CIFAR and image folders). Every run
starts from the lab's exact initial weights (float32, bit for bit)${t.seeds > 1 ? `, one file per seed (\`weights/<run>_seed<N>.safetensors\` for the later seeds); \`train.py\` trains every run with every seed, each seed with its own batch order and augmentation` : ''}.

## Check the model reproduces the lab

    ${README_COMMANDS.parity}

compares this model's logits and last-block features with the lab's on the same input
(train and eval mode), then replays the lab's first two training steps (optimizer,
weight decay, clipping, learning-rate schedule, the scalar parameter group, mixup with the lab's draws) and compares every parameter's change;
every run should say \`ok\` (relative error below 1e-4).

## The lab's diagnostics in PyTorch

    ${README_COMMANDS.diagnostics}

measures every run at initialisation as the lab does (float64): the Jacobian spectrum
(singular values, rank with its threshold, zeros, max |sigma - 1|, reach map), signal
propagation over the lab's ${c.diagnostics.pairs} input pairs (mean square per unit, cosine, and the
looks-linear signal cosine) and the branch balance of every block, with BatchNorm on
${c.diagnostics.bnStats === 'batch' ? 'the statistics of a fixed reference batch of ' + c.diagnostics.referenceBatch + ' inputs (the network being trained)' : 'its running statistics (the inference function)'}.
\`--bn-stats both\` measures both BatchNorm modes, \`--json\` prints every number, \`--out FILE\` keeps
them. The inputs are the lab's own (\`${c.diagnostics.file}\`), so the numbers are the lab's.

## Train

One process (a GPU when PyTorch sees one, else the CPU):

    ${README_COMMANDS.single}

On recent GPUs add \`--amp\` (bfloat16 autocast) for speed; the lab itself trains in float32.

Several GPUs on one machine (DistributedDataParallel; NCCL on GPUs, gloo on CPU). The
batch size (${t.batchSize}) is the global batch, split evenly over the processes:

    ${README_COMMANDS.multiGpu}

With PyTorch 1.13 under Python 3.11 (Debian 12's python3-torch), torchrun itself stops
with \`AttributeError: ${TORCHRUN_COMPAT_ERROR}\` before starting any
process (fixed in PyTorch 2.0); there, add \`--redirects 1 --tee 1\`:

    ${README_COMMANDS.multiGpuCompat}

Several nodes (run on every node, with its own \`--node_rank\` 0, 1, ...; HOST is node 0's
address, reachable from the others on port 29500):

    ${README_COMMANDS.multiNode}

${fullRunSection(c)}Jobs with a time limit: stop after some steps (a checkpoint is written), then resume;
the resumed run continues exactly as if it had not stopped (same batches, same
optimizer state):

    ${README_COMMANDS.stopAfter}
    ${README_COMMANDS.resume}

Other data, longer runs, bigger models:

    python3 train.py --data cifar10 --data-dir ./data --download --epochs 200
    ${README_COMMANDS.imageFolder}
    python3 train.py --init fresh --data cifar100 --data-dir ./data --download --width 64 --blocks 2,2,2,2 --epochs 200

An image folder holds \`train/<class>/*.png\` and \`test/<class>/*.png\` (any format
Pillow reads; images are resized to the model's input). \`--init fresh\` re-initialises
each run with the PyTorch implementation of its scheme (init.py), for sizes the lab
never built. \`python3 train.py --help\` lists every option
(\`--runs\`, \`--steps\`, \`--lr\`, \`--batch-size\`, \`--seed\`, \`--out\`, \`--resume\`, ...).

## Results back into the lab

\`train.py\` writes \`runs/pytorch/metrics.csv\` in the lab's CSV format (one row per step,
run and seed, test metrics on evaluation steps, the gradient norm of every block and the
learnable a_res / a_skip in the lab's history columns), \`results.json\` and resumable
checkpoints in \`runs/pytorch/checkpoints/\`. In the lab, open the experiment, then Results >
Import PyTorch CSV: the runs appear beside the browser runs, marked as external.

## Files

- \`model.py\`: the lab's ResNet as a torch.nn.Module; its state_dict names are the tensor names of the weights files.
- \`init.py\`: every init scheme of the lab in PyTorch, and \`load_lab_weights\`.
- \`train.py\`, \`data.py\`: the training loop (the lab's optimizer, schedule, augmentation, normalisation and full-batch epochs; its own seeded batch order) and datasets.
- \`history.py\`: the per-block gradient norms and learnable scalars recorded while training, and their CSV columns.
- \`mixup.py\`: mixup's draws, mixing and two-label loss (used when \`training.augment.mixup\` > 0).
- \`check_parity.py\`, \`parity.safetensors\`: the lab's outputs and first training steps on a probe batch.
- \`diagnostics.py\`, \`${c.diagnostics.file}\`: the lab's diagnostics and the inputs they are measured on.
- \`config.json\`: the experiment, each run's architecture and the training settings.
- \`safetensors_io.py\`: safetensors reading and writing with torch alone.

BatchNorm statistics are per process under DDP (PyTorch's default), so runs with
BatchNorm on several processes differ slightly from one process; without BatchNorm
they see the same global batches and match.
`;
}
