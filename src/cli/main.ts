// `npm run lab -- <command> [options]`: the lab without a browser, on the same engine.
//   train     train the experiment's schemes side by side, write metrics.csv + results.json
//   init      write each scheme's initial weights as safetensors + a JSON model card
//   spectrum  print each scheme's Jacobian spectrum at init as JSON
//   export-pytorch  write the experiment as a PyTorch package (model, init, train, weights)
// Run with --help for the options.

import { BUILTIN_DATASETS } from '../lab/datasets';
import { setDebugLevel } from '../lab/labService';
import type { DatasetShape } from '../lab/modelFactory';
import { experimentFrom, parse } from './args';
import { datasetFor } from './datasetArg';
import { exportPytorch } from './exportPytorch';
import { printSpectra, writeInitialWeights } from './initCommands';
import { train } from './train';

function shapeOf(datasetId: string): DatasetShape {
  const d = BUILTIN_DATASETS.find((b) => b.id === datasetId);
  if (!d) throw new Error(`unknown dataset "${datasetId}" (built-in: ${BUILTIN_DATASETS.map((b) => b.id).join(', ')})`);
  return { channels: d.channels, size: d.size, classes: d.classes };
}

const HELP = `usage: npm run lab -- <command> [options]

commands:
  train       train schemes side by side; writes <out>/metrics.csv and <out>/results.json
  init        initial weights per scheme: --out weights.safetensors (+ .json model card)
  spectrum    Jacobian spectrum (input -> last block) and signal propagation at init, JSON on stdout
  export-pytorch  --out DIR: the experiment as a PyTorch package (model.py, init.py, train.py for
              torchrun/DDP, config.json, the exact initial weights, the dataset); --no-data leaves
              the dataset out, --force writes into a non-empty folder, --lab-url URL (the lab's
              address, e.g. http://localhost:5173/) adds the experiment's link

options (defaults: the lab's built-in experiment):
  --config FILE        experiment JSON (partial; flags below override it)
  --dataset NAME       built-in dataset (shapes)
  --data FILE          train / export-pytorch: your dataset files instead (repeat --data for
                       several files): CIFAR-10/100 binary batches or .tar.gz, IDX (.gz), CSV
  --preset NAME        resnet8 | resnet14 | resnet20 | resnet32 | resnet56 | resnet18
  --blocks 1,1,1       custom blocks per stage (3 or 4 stages)
  --width N            base width        --skip B|C     --bn / --no-bn
  --schemes a,b        risotto, he, fixup, skipinit, rezero, deltaOrthogonal, looksLinearNoCorrection
  --optimizer KIND     sgd | sgd-nesterov | adam | adamw      --lr X   --clip MAXNORM
  --batch N  --steps N  --eval-every N  --seed N
  --out PATH           train: output folder (default runs/<timestamp>); init: .safetensors file;
                       export-pytorch: the package folder (default pytorch-export)
  --scheme a,b         init/spectrum: only these schemes (default: the experiment's)
  --probe N            spectrum: probe size P (default 8)
  --validate N         train: check the first N steps of every run against the float64 reference
                       (names the first gradient that diverges)
  --debug N            1: print each compiled GPU program's dispatches and memory plan; 2: also its WGSL
                       (or set RISOTTO_DEBUG=N)
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.debug !== undefined) setDebugLevel(Number(values.debug));
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 2;
  }
  const log = (s: string) => process.stderr.write(`${s}\n`);
  if (command === 'train') {
    const { exp, dataset } = await datasetFor(experimentFrom(values), values.data);
    const out = values.out ?? `runs/${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const end = await train(exp, dataset, out, log, values.validate === undefined ? 0 : Number(values.validate));
    return end.runs.some((r) => r.status === 'failed') ? 1 : 0;
  }
  if (command === 'init') {
    const exp = experimentFrom(values);
    writeInitialWeights(exp, shapeOf(exp.dataset), values.out ?? 'weights.safetensors', values.scheme, log);
    return 0;
  }
  if (command === 'spectrum') {
    const exp = experimentFrom(values);
    await printSpectra(exp, shapeOf(exp.dataset), values.scheme, values.probe ? Number(values.probe) : undefined, log);
    return 0;
  }
  if (command === 'export-pytorch') {
    const { exp, dataset } = await datasetFor(experimentFrom(values), values.data);
    exportPytorch(exp, dataset, values.out ?? 'pytorch-export', { includeData: !values['no-data'], force: Boolean(values.force), labUrl: values['lab-url'] }, log);
    return 0;
  }
  log(`unknown command "${command}"\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
