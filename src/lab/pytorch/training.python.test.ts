// The PyTorch export with real PyTorch on the CPU, part 2: the README's commands run as
// printed: one process, torchrun with 2 gloo processes (ranks in sync, same losses as
// one process), two local "nodes", stop and resume, image folders and fresh inits; every
// metrics CSV imports back into the lab, with the lab's history columns.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../safetensors';
import { runsToCsv } from '../metricsExport';
import { makeLrFunction } from '../../nn/schedule';
import { csvRuns, experiment, freePort, py, run, SCHEMES, sh, shAsync, writePackage } from './pythonTesting';
import { README_COMMANDS, TORCHRUN_COMPAT_ERROR } from './readme';

beforeAll(() => {
  py();
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
    const { runs, warnings } = csvRuns(dir, 'runs/pytorch/metrics.csv', experiment('B', false));
    expect(warnings).toEqual([]);
    expect(runs.map((r) => r.key)).toEqual(SCHEMES.map((s) => `pytorch:${s}`));
    for (const r of runs) {
      expect(r.status).toBe('finished');
      expect(r.train.map((p) => p.step)).toEqual([1, 2, 3, 4]);
      expect(r.test.map((p) => p.step)).toEqual([2, 4]);
      for (const p of r.train) expect(Number.isFinite(p.loss) && Number.isFinite(p.gradNorm)).toBe(true);
    }
    // The histories: the lab's columns in the lab's order, every block at every step, the learned a_res.
    const header = readFileSync(join(dir, 'runs/pytorch/metrics.csv'), 'utf8').split('\n')[0];
    expect(header).toBe(runsToCsv(runs).split('\n')[0]);
    for (const r of runs) {
      expect(r.history!.blocks).toEqual(['stem', 'stage1.block0', 'stage2.block0', 'stage2.block1', 'stage3.block0', 'head']);
      expect(r.history!.gradNorms.steps).toEqual([1, 2, 3, 4]);
      // The head always has a gradient (Fixup's zero head weight stops the rest at step 1).
      for (const row of r.history!.gradNorms.rows) expect(row[5] > 0 && row.every(Number.isFinite), r.key).toBe(true);
    }
    const fixup = runs.find((r) => r.key === 'pytorch:fixup')!.history!;
    expect(fixup.scalarNames).toEqual(['stage1.block0.aRes', 'stage2.block0.aRes', 'stage2.block1.aRes', 'stage3.block0.aRes']);
    expect(fixup.scalars.steps).toEqual([1, 2, 3, 4]);
    const lr = makeLrFunction(0.05, { kind: 'cosine', totalSteps: 4 }, 1);
    runs[0].train.forEach((p) => expect(p.lr).toBeCloseTo(lr(p.step), 12));
    // --amp (bfloat16 autocast) trains the same runs; its first loss is within bf16 error.
    run(`${README_COMMANDS.single} --amp --out runs/amp`, dir);
    const amp = csvRuns(dir, 'runs/amp/metrics.csv').runs;
    amp.forEach((r, i) => expect(Math.abs(r.train[0].loss - runs[i].train[0].loss)).toBeLessThan(0.05 * runs[i].train[0].loss));
  });

  it('torchrun with 2 gloo processes: identical parameters on both ranks, same losses as one process, CSV imports', () => {
    const extra = ' --out runs/ddp --dump-rank-params';
    let r = sh(README_COMMANDS.multiGpu + extra, dir);
    if (r.status !== 0 && r.out.includes(TORCHRUN_COMPAT_ERROR)) r = sh(README_COMMANDS.multiGpuCompat + extra, dir);
    if (r.status !== 0) throw new Error(`torchrun failed (exit ${r.status}):\n${r.out.slice(0, 6000)}`);
    expectSameParams(dir, 'runs/ddp');
    const parse = (path: string) => csvRuns(dir, path).runs;
    const ddp = parse('runs/ddp/metrics.csv');
    const single = parse('runs/pytorch/metrics.csv');
    expect(ddp.map((x) => x.train.length)).toEqual([4, 4, 4, 4]);
    // No BatchNorm: both see the same global batches, so only summation order differs.
    ddp.forEach((run, i) => run.train.forEach((p, k) => expect(Math.abs(p.loss - single[i].train[k].loss)).toBeLessThan(1e-4 * Math.abs(single[i].train[k].loss))));
  });
});

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
    expect(csvRuns(dir, 'runs/nodes/metrics.csv').runs).toHaveLength(SCHEMES.length);
  });

  it('stop after 2 steps, then resume: the same metrics as an uninterrupted run', () => {
    run(`${README_COMMANDS.stopAfter.replace('1000', '2')} --out runs/split`, dir);
    const csv = (out: string) => csvRuns(dir, `${out}/metrics.csv`).runs;
    const stopped = csv('runs/split');
    expect(stopped.map((r) => [r.status, r.step])).toEqual(SCHEMES.map(() => ['stopped', 2]));
    run(`${README_COMMANDS.resume} --out runs/split`, dir);
    run(`${README_COMMANDS.single} --out runs/whole`, dir);
    const [resumed, whole] = [csv('runs/split'), csv('runs/whole')];
    expect(resumed.map((r) => r.status)).toEqual(SCHEMES.map(() => 'finished'));
    expect(resumed.map((r) => ({ train: r.train, test: r.test }))).toEqual(whole.map((r) => ({ train: r.train, test: r.test })));
    // The checkpoint carries the history: the resumed run's is the uninterrupted one's.
    expect(resumed.map((r) => r.history)).toEqual(whole.map((r) => r.history));
  });
});

describe('training with mixup', () => {
  it('train.py mixes (alpha from config.json): finite metrics, other losses than without, and a stopped run resumes with the same draws', () => {
    const base = experiment('B', false, undefined, { schemes: [{ id: 'he' }] });
    const dir = writePackage({ ...base, augment: { ...base.augment, mixup: 1 } });
    run(`${README_COMMANDS.single} --out runs/whole`, dir);
    run(`${README_COMMANDS.stopAfter.replace('1000', '2')} --out runs/split`, dir);
    run(`${README_COMMANDS.resume} --out runs/split`, dir);
    const csv = (out: string) => csvRuns(dir, `${out}/metrics.csv`).runs;
    const [whole, resumed] = [csv('runs/whole'), csv('runs/split')];
    expect(whole.map((r) => r.status)).toEqual(['finished']);
    for (const p of whole[0].train) expect(Number.isFinite(p.loss) && p.acc >= 0 && p.acc <= 1).toBe(true);
    expect(resumed.map((r) => ({ train: r.train, test: r.test }))).toEqual(whole.map((r) => ({ train: r.train, test: r.test })));
    const plainDir = writePackage(base);
    run(`${README_COMMANDS.single} --out runs/plain`, plainDir);
    const plain = csvRuns(plainDir, 'runs/plain/metrics.csv').runs;
    expect(plain[0].train[0].loss).not.toBe(whole[0].train[0].loss);
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
    const r = spawnSync(py().python, ['-c', make], { cwd: dir, encoding: 'utf8', env: py().env });
    expect(r.status, r.stderr).toBe(0);
    run(`${README_COMMANDS.imageFolder} --batch-size 8 --out runs/folder`, dir);
    run(`${README_COMMANDS.imageFolder} --batch-size 8 --init fresh --width 6 --blocks 1,1,1,1 --runs risotto,fixup --out runs/fresh`, dir);
    const runs = (out: string) => csvRuns(dir, `${out}/metrics.csv`).runs;
    expect(runs('runs/folder').map((x) => [x.key, x.train.length])).toEqual(SCHEMES.map((s) => [`pytorch:${s}`, 4]));
    expect(runs('runs/fresh').map((x) => [x.key, x.status, x.train.length])).toEqual([['pytorch:risotto', 'finished', 4], ['pytorch:fixup', 'finished', 4]]);
    // The lab's weights only fit the exported architecture, and the message says what to do.
    const bad = sh(`${README_COMMANDS.single} --width 6`, dir);
    expect(bad.status).not.toBe(0);
    expect(bad.out).toContain('add --init fresh');
  });
});
