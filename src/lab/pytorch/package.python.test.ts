// The PyTorch export end to end, with real PyTorch on the CPU: forward and first-steps
// parity with the lab for Type B / C, with and without BatchNorm, for Risotto, He,
// Fixup and SkipInit, under SGD, Nesterov with clipping, AdamW;
// the README's commands run as printed; torchrun with 2 gloo processes keeps the ranks
// in sync and its CSV imports back into the lab; the learning-rate schedule matches.

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../data/dataset';
import { makeLrFunction, type LrSchedule } from '../../nn/schedule';
import { defaultExperiment, type ExperimentConfig } from '../experiment';
import { parseMetricsCsv } from '../externalRuns';
import { findTorchPython, type TorchPython } from '../node/torchPython';
import { decodeSafetensors } from '../safetensors';
import type { OptimizerConfig } from '../../nn/optimizerConfig';
import { buildPytorchPackage } from './package';
import { README_COMMANDS, TORCHRUN_COMPAT_ERROR } from './readme';

const SCHEMES = ['risotto', 'he', 'fixup', 'skipinit'] as const;

/** 3 x 10 x 10 images (stages of 10, 5 and 3 pixels), 4 classes told apart by a bright quadrant. */
function tinyDataset(): Dataset {
  const split = (count: number, salt: number) => {
    const pixels = new Uint8Array(count * 300);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = (i * 7 + salt) % 4;
      for (let j = 0; j < 300; j++) {
        const y = Math.floor((j % 100) / 10);
        const x = j % 10;
        const quadrant = (y >= 5 ? 2 : 0) + (x >= 5 ? 1 : 0);
        pixels[i * 300 + j] = (quadrant === labels[i] ? 160 : 40) + ((i * 31 + j * 17 + salt) % 50);
      }
    }
    return { pixels, labels, count };
  };
  return { id: 'tiny', name: 'tiny quadrants', channels: 3, height: 10, width: 10, classNames: ['a', 'b', 'c', 'd'], train: split(96, 1), test: split(40, 2) };
}

function experiment(skip: 'B' | 'C', batchNorm: boolean, optimizer?: OptimizerConfig, over: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    ...defaultExperiment(),
    dataset: 'tiny',
    model: { preset: 'custom', blocksPerStage: [1, 2, 1], width: 8, skip, batchNorm },
    schemes: SCHEMES.map((id) => ({ id })),
    ...over,
    batchSize: 16,
    steps: 4,
    warmupSteps: 1,
    schedule: { kind: 'cosine', totalSteps: 4 },
    evalEvery: 2,
    evalBatches: 1,
    seed: 11,
    ...(optimizer && { optimizer }),
  };
}

const FOUR_STAGES: Partial<ExperimentConfig> = { model: { preset: 'custom', blocksPerStage: [1, 1, 1, 1], width: 8, skip: 'C', batchNorm: true } };

function writePackage(exp: ExperimentConfig): string {
  const dir = mkdtempSync(join(tmpdir(), 'pytorch-export-'));
  for (const f of buildPytorchPackage(exp, tinyDataset())) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.data);
  }
  return dir;
}

let py: TorchPython;

function sh(cmd: string, cwd: string): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', cmd], { cwd, env: py.env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function run(cmd: string, cwd: string): string {
  const r = sh(cmd, cwd);
  if (r.status !== 0) throw new Error(`\`${cmd}\` failed (exit ${r.status}):\n${r.out.slice(-3000)}`);
  return r.out;
}

beforeAll(() => {
  py = findTorchPython();
});

interface ParityReport {
  ok: boolean;
  results: { run: string; ok: boolean; errors: Record<string, Record<string, number>> }[];
}

function parity(dir: string): { status: number | null; report: ParityReport } {
  const r = sh(`${README_COMMANDS.parity} --json`, dir);
  if (r.status !== 0 && r.status !== 1) throw new Error(`check_parity.py crashed (exit ${r.status}):\n${r.out.slice(-3000)}`);
  return { status: r.status, report: JSON.parse(r.out) as ParityReport };
}

const NESTEROV_CLIP: OptimizerConfig = { kind: 'sgd-nesterov', lr: 0.2, momentum: 0.8, weightDecay: 1e-3, clipNorm: 0.5 };
const ADAMW: OptimizerConfig = { kind: 'adamw', lr: 0.01, weightDecay: 0.05 };

describe.each([
  ['B', false, undefined, {}],
  ['B', true, NESTEROV_CLIP, {}],
  ['C', false, ADAMW, {}],
  ['C', true, undefined, FOUR_STAGES],
] as const)('parity, Type %s, BatchNorm %s, optimizer %o, %o', (skip, bn, optimizer, over) => {
  it('PyTorch with the exported weights gives the lab logits and features (train and eval mode) and the same first two steps', () => {
    const { status, report } = parity(writePackage(experiment(skip, bn, optimizer, over)));
    expect(report.results.map((r) => r.run)).toEqual([...SCHEMES]);
    for (const r of report.results) {
      expect(Object.keys(r.errors.float32).sort()).toEqual(['eval.features', 'eval.logits', 'train.features', 'train.logits']);
      expect(Object.keys(r.errors.float64)).toContain('steps.deltaSample');
      for (const e of Object.values(r.errors.float32)) expect(e).toBeLessThan(1e-4);
      for (const e of Object.values(r.errors.float64)) expect(e).toBeLessThan(1e-6);
    }
    expect(report.ok).toBe(true);
    expect(status).toBe(0);
  });
});

describe('parity of the other schemes', () => {
  it('ReZero, the ablations and Risotto with options match too', () => {
    const schemes: ExperimentConfig['schemes'] = [{ id: 'rezero' }, { id: 'deltaOrthogonal' }, { id: 'looksLinearNoCorrection' }, { id: 'risotto', options: { aRes: 0.5, aSkip: 2, permutation: 'random' } }];
    const { status, report } = parity(writePackage(experiment('C', false, undefined, { schemes })));
    expect(report.results.map((r) => r.run)).toEqual(['rezero', 'deltaOrthogonal', 'looksLinearNoCorrection', 'risotto(aRes=0.5,aSkip=2,permutation=random)']);
    expect(report.results.every((r) => r.ok)).toBe(true);
    expect(status).toBe(0);
  });
});

describe('parity check can fail', () => {
  it('reports a mismatch (exit 1) when train.py would use other hyperparameters than the lab', () => {
    const dir = writePackage(experiment('B', false));
    const path = join(dir, 'config.json');
    const cfg = JSON.parse(readFileSync(path, 'utf8'));
    cfg.training.optimizer.weightDecay = 0.05;
    writeFileSync(path, JSON.stringify(cfg));
    const { status, report } = parity(dir);
    expect(status).toBe(1);
    expect(report.ok).toBe(false);
    for (const r of report.results.filter((x) => x.run !== 'fixup')) expect(r.errors.float64['steps.deltaNorm']).toBeGreaterThan(1e-3);
    for (const r of report.results) expect(r.errors.float32['eval.logits']).toBeLessThan(1e-4);
  });
});

describe('training from the export', () => {
  let dir: string;
  beforeAll(() => {
    dir = writePackage(experiment('B', false));
  });

  it('the README prints the commands the tests run', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const cmd of Object.values(README_COMMANDS)) expect(readme).toContain(`    ${cmd}\n`);
  });

  it('one process: `python3 train.py` trains every run and writes a CSV the lab imports', () => {
    run(README_COMMANDS.single, dir);
    const { runs, warnings } = parseMetricsCsv(readFileSync(join(dir, 'runs/pytorch/metrics.csv'), 'utf8'), { tool: 'PyTorch', file: 'metrics.csv' }, experiment('B', false));
    expect(warnings).toEqual([]);
    expect(runs.map((r) => r.key)).toEqual(SCHEMES.map((s) => `pytorch:${s}`));
    for (const r of runs) {
      expect(r.status).toBe('finished');
      expect(r.train.map((p) => p.step)).toEqual([1, 2, 3, 4]);
      expect(r.test.map((p) => p.step)).toEqual([2, 4]);
      for (const p of r.train) expect(Number.isFinite(p.loss) && Number.isFinite(p.gradNorm)).toBe(true);
    }
    const lr = makeLrFunction(0.05, { kind: 'cosine', totalSteps: 4 }, 1);
    runs[0].train.forEach((p) => expect(p.lr).toBeCloseTo(lr(p.step), 12));
  });

  it('torchrun with 2 gloo processes: identical parameters on both ranks, same losses as one process, CSV imports', () => {
    const extra = ' --out runs/ddp --dump-rank-params';
    let r = sh(README_COMMANDS.multiGpu + extra, dir);
    if (r.status !== 0 && r.out.includes(TORCHRUN_COMPAT_ERROR)) r = sh(README_COMMANDS.multiGpuCompat + extra, dir);
    if (r.status !== 0) throw new Error(`torchrun failed (exit ${r.status}):\n${r.out.slice(0, 6000)}`);
    expectSameParams(dir, 'runs/ddp');
    const parse = (path: string) => parseMetricsCsv(readFileSync(join(dir, path), 'utf8'), { tool: 'PyTorch', file: path }).runs;
    const ddp = parse('runs/ddp/metrics.csv');
    const single = parse('runs/pytorch/metrics.csv');
    expect(ddp.map((x) => x.train.length)).toEqual([4, 4, 4, 4]);
    // No BatchNorm: both see the same global batches, so only summation order differs.
    ddp.forEach((run, i) => run.train.forEach((p, k) => expect(Math.abs(p.loss - single[i].train[k].loss)).toBeLessThan(1e-4 * Math.abs(single[i].train[k].loss))));
  });
});

/** The exit code and output of `cmd` run through sh, without blocking the event loop. */
function shAsync(cmd: string, cwd: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', cmd], { cwd, env: py.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function expectSameParams(dir: string, out: string): void {
  for (const s of SCHEMES) {
    const [a, b] = [0, 1].map((rank) => decodeSafetensors(readFileSync(join(dir, `${out}/params.${s}.rank${rank}.safetensors`))));
    expect(a.tensors.length).toBeGreaterThan(10);
    expect(b.tensors.map((t) => t.name)).toEqual(a.tensors.map((t) => t.name));
    a.tensors.forEach((t, i) => expect(Buffer.from(b.tensors[i].data.buffer).equals(Buffer.from(t.data.buffer)), `${s} ${t.name}`).toBe(true));
  }
}

describe('more README commands', () => {
  let dir: string;
  beforeAll(() => {
    dir = writePackage(experiment('B', true));
  });

  it('several nodes: the multi-node command on two local "nodes" of one process each keeps the ranks in sync', async () => {
    const port = await freePort();
    // Launch train.py --help under torchrun once: does this torchrun need the README's compat flags?
    const needsCompat = sh(`${README_COMMANDS.multiGpu} --help`, dir).out.includes(TORCHRUN_COMPAT_ERROR);
    const node = (rank: number) =>
      README_COMMANDS.multiNode.replace('--node_rank=0', `--node_rank=${rank}`).replace('--nproc_per_node=8', '--nproc_per_node=1').replace('HOST', '127.0.0.1').replace('29500', String(port))
        .replace(' train.py', `${needsCompat ? ' --redirects 1 --tee 1' : ''} train.py --out runs/nodes --dump-rank-params`);
    const results = await Promise.all([shAsync(node(0), dir), shAsync(node(1), dir)]);
    results.forEach((r, i) => expect(r.status, `node ${i}:\n${r.out.slice(0, 4000)}`).toBe(0));
    expectSameParams(dir, 'runs/nodes');
    expect(parseMetricsCsv(readFileSync(join(dir, 'runs/nodes/metrics.csv'), 'utf8'), { tool: 'PyTorch', file: 'metrics.csv' }).runs).toHaveLength(SCHEMES.length);
  });

  it('stop after 2 steps, then resume: the same metrics as an uninterrupted run', () => {
    run(`${README_COMMANDS.stopAfter.replace('1000', '2')} --out runs/split`, dir);
    const csv = (out: string) => parseMetricsCsv(readFileSync(join(dir, `${out}/metrics.csv`), 'utf8'), { tool: 'PyTorch', file: 'metrics.csv' }).runs;
    const stopped = csv('runs/split');
    expect(stopped.map((r) => [r.status, r.step])).toEqual(SCHEMES.map(() => ['stopped', 2]));
    run(`${README_COMMANDS.resume} --out runs/split`, dir);
    run(`${README_COMMANDS.single} --out runs/whole`, dir);
    const [resumed, whole] = [csv('runs/split'), csv('runs/whole')];
    expect(resumed.map((r) => r.status)).toEqual(SCHEMES.map(() => 'finished'));
    expect(resumed.map((r) => ({ train: r.train, test: r.test }))).toEqual(whole.map((r) => ({ train: r.train, test: r.test })));
  });
});

describe('other data and sizes', () => {
  it('an image folder trains with the lab weights, and with --init fresh at another width and depth', () => {
    const dir = writePackage(experiment('B', false));
    // 12 x 12 noise images (resized to the model's 10 x 10), brighter for later classes.
    const make = `from PIL import Image
import os, random
random.seed(5)
for part, n in (("train", 24), ("test", 8)):
    for k, c in enumerate("abcd"):
        os.makedirs("images/%s/%s" % (part, c), exist_ok=True)
        for i in range(n // 4):
            px = bytes(min(255, random.randrange(128) + 40 * k) for _ in range(12 * 12 * 3))
            Image.frombytes("RGB", (12, 12), px).save("images/%s/%s/%d.png" % (part, c, i))`;
    const r = spawnSync(py.python, ['-c', make], { cwd: dir, encoding: 'utf8', env: py.env });
    expect(r.status, r.stderr).toBe(0);
    run(`${README_COMMANDS.imageFolder} --batch-size 8 --out runs/folder`, dir);
    run(`${README_COMMANDS.imageFolder} --batch-size 8 --init fresh --width 6 --blocks 1,1,1,1 --runs risotto,fixup --out runs/fresh`, dir);
    const runs = (out: string) => parseMetricsCsv(readFileSync(join(dir, `${out}/metrics.csv`), 'utf8'), { tool: 'PyTorch', file: 'metrics.csv' }).runs;
    expect(runs('runs/folder').map((x) => [x.key, x.train.length])).toEqual(SCHEMES.map((s) => [`pytorch:${s}`, 4]));
    expect(runs('runs/fresh').map((x) => [x.key, x.status, x.train.length])).toEqual([['pytorch:risotto', 'finished', 4], ['pytorch:fixup', 'finished', 4]]);
    // The lab's weights only fit the exported architecture, and the message says what to do.
    const bad = sh(`${README_COMMANDS.single} --width 6`, dir);
    expect(bad.status).not.toBe(0);
    expect(bad.out).toContain('add --init fresh');
  });
});

describe('schedule', () => {
  it("train.py's learning rate equals the lab's at every step", () => {
    const cases: { schedule: LrSchedule; warmup: number }[] = [
      { schedule: { kind: 'cosine', totalSteps: 50, minLr: 0.001 }, warmup: 5 },
      { schedule: { kind: 'cosine', totalSteps: 7 }, warmup: 0 },
      { schedule: { kind: 'step', milestones: [10, 20], gamma: 0.1 }, warmup: 3 },
      { schedule: { kind: 'constant' }, warmup: 4 },
    ];
    const script = `import json, sys; sys.path.insert(0, 'pytorch'); from train import lr_at
cases = json.load(sys.stdin)
print(json.dumps([[lr_at({'warmupSteps': c['warmup'], 'schedule': c['schedule']}, 0.1, s, c['schedule'].get('totalSteps', 50)) for s in range(1, 61)] for c in cases]))`;
    const r = spawnSync(py.python, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8', env: py.env });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as number[][];
    cases.forEach((c, i) => {
      const lab = makeLrFunction(0.1, c.schedule, c.warmup);
      got[i].forEach((v, k) => expect(v).toBeCloseTo(lab(k + 1), 14));
    });
  });
});
