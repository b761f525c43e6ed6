// `npm run lab -- <command> [options]`: the lab without a browser, on the same engine.
//   train     train the experiment's schemes side by side, write metrics.csv, summary.csv, results.json
//   init      write each scheme's initial weights as safetensors + a JSON model card
//   spectrum  print each scheme's Jacobian spectrum at init as JSON
//   export-pytorch  write the experiment as a PyTorch package (model, init, train, weights)
//   sweep     the depth sweep at init (one stride-1 stage, D = 1, 2, 4, ...) as JSON or CSV
// Run with --help for the options.

import { BUILTIN_DATASETS, isInitSchemeId, INIT_SCHEME_IDS, setDebugLevel } from '../lab';
import type { DatasetShape } from '../lab';
import { dataOptions, debugLevel, experimentFrom, parse, positiveInt } from './args';
import { fieldFlagsHelp } from './fieldFlags';
import { datasetFor } from './datasetArg';
import { exportPytorch } from './exportPytorch';
import { printSpectra, writeInitialWeights } from './initCommands';
import { runSweep } from './sweep';
import { train } from './train';

function shapeOf(datasetId: string): DatasetShape {
  const d = BUILTIN_DATASETS.find((b) => b.id === datasetId);
  if (!d) throw new Error(`unknown dataset "${datasetId}" (built-in: ${BUILTIN_DATASETS.map((b) => b.id).join(', ')})`);
  return { channels: d.channels, size: d.size, classes: d.classes };
}

const HELP = `usage: npm run lab -- <command> [options]

commands:
  train       train schemes side by side; writes <out>/metrics.csv, summary.csv (mean ± std over seeds) and results.json
  init        initial weights per scheme: --out weights.safetensors (+ weights.card.json model card)
  spectrum    Jacobian spectrum (input -> last block) and signal propagation at init, JSON on stdout
  export-pytorch  --out DIR: the experiment as a PyTorch package (model.py, init.py, train.py for
              torchrun/DDP, config.json, the exact initial weights, the dataset); --no-data leaves
              the dataset out, --force writes into a folder that is not an earlier export,
              --lab-url URL (the lab's address, e.g. http://localhost:5173/) adds the experiment's link
  sweep       the depth sweep at init: sigma_max, sigma_min, max|sigma-1|, q and cosine of one
              stride-1 stage of D = 1, 2, 4, ... blocks per scheme and seed; its own options
              (sweep --help), e.g. sweep --schemes he,risotto --max-depth 32 --seeds 3 --format csv

Nothing that exists is replaced without --force (an earlier export-pytorch folder,
recognised by its config.json, is updated in place); each command lists what it wrote.

options:
  --config FILE        experiment JSON (partial; flags override it), checked like a link:
                       unknown fields are warnings, anything out of range an error
  --data FILE          train / export-pytorch: your dataset files instead (repeat --data for
                       several files): CIFAR-10/100 binary batches or .tar.gz, IDX (.gz), CSV
  --test-split P       with --data files that hold no test set: the share of each class held
                       out for testing, 0.25 or 25% (default 20%)
  --csv-shape C,H,W    with --data pixel CSV whose rows are not square images: channels (1 or 3),
                       height and width (or H,W)
  --out PATH           train: output folder (default runs/<timestamp>); init: .safetensors file;
                       export-pytorch: the package folder (default pytorch-export)
  --scheme a,b         init/spectrum: only these schemes (default: the experiment's)
  --probe N            spectrum: probe size P (default 8)
  --force              replace existing output files
  --validate N         train: check the first N steps of every run against the float64 reference
                       (names the first gradient that diverges)
  --debug N            1: print each compiled GPU program's dispatches and memory plan; 2: also its WGSL
                       (or set RISOTTO_DEBUG=N)

experiment fields (defaults: the lab's built-in experiment; the same fields and ranges as a
link's keys; a flag that needs another field's value sets it when that flag is not given,
e.g. --blocks means --preset custom; --steps also sets the cosine length and caps the warmup
unless they are given):
${fieldFlagsHelp()}
`;

function checkScheme(only: string | undefined): string | undefined {
  if (only === undefined) return undefined;
  const bad = only
    .split(',')
    .map((s) => s.trim())
    .filter((id) => !isInitSchemeId(id));
  if (bad.length)
    throw new Error(`--scheme ${JSON.stringify(only)}: unknown scheme ${bad.join(', ')} (known: ${INIT_SCHEME_IDS.join(', ')})`);
  return only
    .split(',')
    .map((s) => s.trim())
    .join(',');
}

function checkLabUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--lab-url ${JSON.stringify(url)}: not a URL; give the lab's address, e.g. http://localhost:5173/`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`--lab-url ${JSON.stringify(url)}: must be an http:// or https:// address`);
  return url;
}

/** Flags a command would silently ignore are refused instead. */
function onlyFor(command: string, values: Record<string, unknown>, allowed: Record<string, string[]>): void {
  for (const [flag, commands] of Object.entries(allowed)) {
    if (values[flag] !== undefined && !commands.includes(command))
      throw new Error(`--${flag} does nothing for ${command} (it is for ${commands.join(', ')})`);
  }
}

const COMMAND_FLAGS: Record<string, string[]> = {
  data: ['train', 'export-pytorch'],
  out: ['train', 'init', 'export-pytorch'],
  scheme: ['init', 'spectrum'],
  probe: ['spectrum'],
  'no-data': ['export-pytorch'],
  'lab-url': ['export-pytorch'],
  force: ['train', 'init', 'export-pytorch'],
  validate: ['train'],
  'test-split': ['train', 'export-pytorch'],
  'csv-shape': ['train', 'export-pytorch'],
};

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'sweep') {
    await runSweep(argv.slice(1), (s) => process.stderr.write(`${s}\n`));
    return 0;
  }
  const { values, positionals } = parse(argv);
  if (values.debug !== undefined) setDebugLevel(debugLevel(values.debug));
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 2;
  }
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const warn = (s: string) => log(`warning: ${s}`);
  if (positionals.length > 1)
    throw new Error(`unexpected argument ${JSON.stringify(positionals[1])} after ${command}; options start with --`);
  if (['train', 'init', 'spectrum', 'export-pytorch'].includes(command)) onlyFor(command, values, COMMAND_FLAGS);
  const force = Boolean(values.force);
  if (command === 'train') {
    const { exp, dataset } = await datasetFor(experimentFrom(values, warn), values.data, dataOptions(values));
    const out = values.out ?? `runs/${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const end = await train(exp, dataset, out, force, log, values.validate === undefined ? 0 : positiveInt('validate', values.validate));
    return end.runs.some((r) => r.status === 'failed') ? 1 : 0;
  }
  if (command === 'init') {
    const exp = experimentFrom(values, warn);
    const out = values.out ?? 'weights.safetensors';
    if (!/\.safetensors$/i.test(out))
      throw new Error(
        `--out ${JSON.stringify(out)}: init writes safetensors weights; name the file *.safetensors (its model card goes beside it as *.card.json)`,
      );
    writeInitialWeights(exp, shapeOf(exp.dataset), out, checkScheme(values.scheme), force, log);
    return 0;
  }
  if (command === 'spectrum') {
    const exp = experimentFrom(values, warn);
    await printSpectra(
      exp,
      shapeOf(exp.dataset),
      checkScheme(values.scheme),
      values.probe === undefined ? undefined : positiveInt('probe', values.probe),
      log,
    );
    return 0;
  }
  if (command === 'export-pytorch') {
    const labUrl = checkLabUrl(values['lab-url']);
    const { exp, dataset } = await datasetFor(experimentFrom(values, warn), values.data, dataOptions(values));
    exportPytorch(exp, dataset, values.out ?? 'pytorch-export', { includeData: !values['no-data'], force, labUrl }, log);
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
