// `npm run lab -- init` (weights at initialisation as safetensors + JSON model card
// beside them as <out>.card.json) and `npm run lab -- spectrum` (the Jacobian spectrum
// at init, as JSON on stdout).

import type { ExperimentConfig, SchemeChoice, DatasetShape } from '../lab';
import { initDiagnostics, initialWeights, fileSafe, runKey } from '../lab';
import { acquireNodeDevice } from '../lab/node';
import { refuseToReplace, writeOutputs, type OutputFile } from './outputs';

function schemesOf(exp: ExperimentConfig, only?: string): SchemeChoice[] {
  if (!only) return exp.schemes;
  // Every run of a named scheme (he and he[bn:1]); a scheme the experiment lacks runs plain.
  return only.split(',').flatMap((id) => {
    const runs = exp.schemes.filter((s) => s.id === id);
    return runs.length ? runs : [{ id } as SchemeChoice];
  });
}

/** The model card's path for weights at `file`: x.safetensors -> x.card.json, never x.json,
 * which is where people keep experiment files. */
export const cardPathFor = (file: string): string => `${file.replace(/\.safetensors$/i, '')}.card.json`;

/** Writes one safetensors + model card per run; `out` gets the run's key as a suffix when several.
 * Existing files are left alone unless `force`. */
export function writeInitialWeights(
  exp: ExperimentConfig,
  data: DatasetShape,
  out: string,
  only: string | undefined,
  force: boolean,
  log: (s: string) => void,
): void {
  const schemes = schemesOf(exp, only);
  const files: OutputFile[] = [];
  for (const s of schemes) {
    const { safetensors, card } = initialWeights(exp, s, data);
    const file = schemes.length > 1 ? out.replace(/(\.safetensors)?$/i, `.${fileSafe(runKey(s))}.safetensors`) : out;
    files.push({ path: file, data: safetensors }, { path: cardPathFor(file), data: JSON.stringify(card, null, 1) });
    log(`${runKey(s)}: ${card.tensors.length} tensors`);
  }
  refuseToReplace(
    files.map((f) => f.path),
    force,
    'choose another --out',
  );
  writeOutputs(files, log);
}

export async function printSpectra(
  exp: ExperimentConfig,
  data: DatasetShape,
  only: string | undefined,
  probeSize: number | undefined,
  log: (s: string) => void,
): Promise<void> {
  const ctx = await acquireNodeDevice();
  try {
    const results = [];
    for (const s of schemesOf(exp, only)) {
      log(`measuring ${runKey(s)}...`);
      const d = await initDiagnostics(ctx, exp, s, data, { signal: true, probeSize });
      const sp = d.spectrum;
      log(
        `${runKey(s).padEnd(24)} [BN ${sp.batchNorm ? sp.bnStats + ' statistics' : 'none'}] rank ${sp.rank}/${Math.min(sp.rows, sp.cols)} (sigma > ${sp.rankThreshold.toExponential(1)}, ${sp.zeros} zeros)  sigma in [${sp.singularValues[sp.rank - 1]?.toExponential(3)}, ${sp.singularValues[0]?.toExponential(3)}]  max|sigma-1| ${sp.maxAbsDeviation.toExponential(2)}`,
      );
      results.push({ scheme: s, spectrum: sp, signal: d.signal });
    }
    process.stdout.write(
      `${JSON.stringify({ experiment: { model: exp.model, seed: exp.seed, dataset: exp.dataset, diagnostics: exp.diagnostics }, results }, null, 1)}\n`,
    );
  } finally {
    ctx.destroy();
  }
}
