// `npm run lab -- train`: trains the experiment's schemes side by side on the GPU in
// Node, with a progress bar, and writes metrics.csv, summary.csv (per run mean ± std
// over its seeds) and results.json.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  Comparison,
  describeValidation,
  assertValidExperiment,
  type ExperimentConfig,
  runsToCsv,
  seedSummaries,
  summaryToCsv,
  toExportJson,
  runKey,
  type ComparisonSnapshot,
} from '../lab';
import type { Dataset, MeanStd } from '../lab';
import { acquireNodeDevice } from '../lab/node';
import { refuseToReplace, writeOutputs } from './outputs';
import { ProgressLine } from './progress';

/** The files `train` writes into its output folder. */
const trainOutputs = (outDir: string) => ({
  metrics: join(outDir, 'metrics.csv'),
  summary: join(outDir, 'summary.csv'),
  results: join(outDir, 'results.json'),
});

function note(s: ComparisonSnapshot): string {
  return s.runs
    .map((r) => {
      const last = r.train[r.train.length - 1];
      return `${r.key}: ${r.status === 'running' && last ? last.loss.toFixed(3) : r.status}`;
    })
    .join('  ');
}

/** `validateSteps`: check the first N steps of every run against the float64 interpreter. */
export async function train(
  exp: ExperimentConfig,
  dataset: Dataset,
  outDir: string,
  force: boolean,
  log: (s: string) => void,
  validateSteps = 0,
): Promise<ComparisonSnapshot> {
  assertValidExperiment(exp);
  const out = trainOutputs(outDir);
  // Checked before training, so a long run never ends unable to write.
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new Error(`--out ${outDir} is a file, not a folder; train writes metrics.csv, summary.csv and results.json into a folder`);
  refuseToReplace([out.metrics, out.summary, out.results], force, 'choose another --out folder');
  const ctx = await acquireNodeDevice();
  log(
    `GPU: ${ctx.adapter.vendor} ${ctx.adapter.architecture} ${ctx.adapter.description}${ctx.adapter.isSoftware ? ' (software renderer: slow)' : ''}`,
  );
  log(
    `dataset ${dataset.name}: ${dataset.train.count} train / ${dataset.test.count} test, ${dataset.channels}x${dataset.height}x${dataset.width}, ${dataset.classNames.length} classes`,
  );
  log(
    `training ${exp.schemes.map(runKey).join(', ')} for ${exp.steps} steps, batch ${exp.batchSize}${exp.seeds > 1 ? `, each with seeds ${exp.seed} to ${exp.seed + exp.seeds - 1}` : ''}`,
  );
  const bar = new ProgressLine();
  const cmp = new Comparison(ctx, exp, dataset, {
    // Kernel tuning happens on the async path; without it, synchronous compiling is
    // faster in Node (bench/RESULTS.md, time to the first step).
    compileConcurrency: ctx.tuner.enabled ? undefined : 0,
    validateSteps,
    onValidation: (key, v) => log(`validate ${key}: ${describeValidation(v)}`),
    onUpdate: (s) => {
      if (s.phase === 'compiling') return;
      bar.update({ step: s.step, total: s.totalSteps, etaSeconds: s.etaSeconds, stepsPerSecond: s.stepsPerSecond, note: note(s) });
    },
  });
  // Ctrl-C or a kill stops after the current step and still writes what was gathered.
  const stopOnSignal = () => cmp.stop();
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const end = await cmp.run();
    bar.done();
    writeOutputs(
      [
        { path: out.metrics, data: runsToCsv(end.runs) },
        { path: out.summary, data: summaryToCsv(end.runs, exp.lossTarget) },
        { path: out.results, data: JSON.stringify(toExportJson(exp, end), null, 1) },
      ],
      log,
    );
    for (const r of end.runs) {
      const last = r.train[r.train.length - 1];
      const test = r.test[r.test.length - 1];
      log(
        `${r.key.padEnd(12)} ${r.status.padEnd(9)} step ${r.step}  loss ${last?.loss.toFixed(4) ?? '-'}  test acc ${test ? (100 * test.acc).toFixed(1) + '%' : '-'}${r.message ? `  (${r.message})` : ''}`,
      );
    }
    if (exp.seeds > 1)
      for (const s of seedSummaries(end.runs, exp.lossTarget)) {
        const f = (m: MeanStd, d: (v: number) => string) => (m.n ? `${d(m.mean)} ± ${Number.isFinite(m.std) ? d(m.std) : '-'}` : '-');
        log(
          `${s.run} over ${s.seeds.length} seeds: final loss ${f(s.finalLoss, (v) => v.toFixed(4))}, best test acc ${f(s.bestTestAcc, (v) => `${(100 * v).toFixed(1)}%`)}, steps to loss <= ${exp.lossTarget}: ${f(s.stepsToTarget, (v) => v.toFixed(0))} (${s.stepsToTarget.n} of ${s.seeds.length} seeds reached it)`,
        );
      }
    return end;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    cmp.dispose();
    ctx.destroy();
  }
}
