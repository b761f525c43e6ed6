// `npm run lab -- sweep`: the depth sweep of the init explorer (one stride-1 stage of
// D = 1, 2, 4, ..., max blocks, each scheme over K seeds) as a JSON or CSV table on
// stdout, progress on stderr. Its own flags: the sweep is not an experiment, so none of
// them go through the experiment's field table.

import { parseArgs } from 'node:util';
import {
  DEFAULT_SWEEP_SEEDS,
  depthSweep,
  sweepCsv,
  sweepProblems,
  type DepthSweepRequest,
  type SweepRow,
  BN_STATS_MODES,
  DEFAULT_PROBE_SIZE,
  defaultStageSettings,
  fieldProblem,
  parseSchemeList,
  STAGE_FIELDS,
  type BnStatsMode,
} from '../lab';
import { acquireNodeDevice } from '../lab/node';

const SWEEP_HELP = `usage: npm run lab -- sweep [options]

The depth sweep at initialisation: a stem and one stride-1 stage of D = 1, 2, 4, ..., MAX
Type B blocks (P x P Gaussian probe, 3 input channels), per scheme and seed: the
Jacobian's sigma_max, sigma_min, max|sigma - 1| (image -> end of the stage) and the
last block's q and cosine over 8 Gaussian pairs.

  --schemes a,b        default he,risotto,fixup,skipinit
  --max-depth N        a power of two, 1..${STAGE_FIELDS.depth.max} (default ${STAGE_FIELDS.depth.max})
  --seeds K            seeds per scheme and depth, 1..10 (default ${DEFAULT_SWEEP_SEEDS}), from --seed (default ${STAGE_FIELDS.seed.default})
  --width N            channels, even, ${STAGE_FIELDS.width.min}..${STAGE_FIELDS.width.max} (default ${STAGE_FIELDS.width.default})
  --bn / --no-bn       BatchNorm (default off; Fixup and SkipInit are always without)
  --bn-stats batch|running  BatchNorm with a reference batch's statistics (default) or the running ones
  --a-res X --a-skip X initial a_res / a_skip of schemes that take them (Risotto; default 1)
  --probe P            probe size (default ${DEFAULT_PROBE_SIZE})
  --format json|csv    default json
`;

const OPTIONS = {
  schemes: { type: 'string' },
  'max-depth': { type: 'string' },
  seeds: { type: 'string' },
  seed: { type: 'string' },
  width: { type: 'string' },
  bn: { type: 'boolean' },
  'no-bn': { type: 'boolean' },
  'bn-stats': { type: 'string' },
  'a-res': { type: 'string' },
  'a-skip': { type: 'string' },
  probe: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface SweepCommand {
  request: DepthSweepRequest;
  format: 'json' | 'csv';
}

function number(flag: string, text: string | undefined, field?: keyof typeof STAGE_FIELDS): number | undefined {
  if (text === undefined) return undefined;
  const v = text.trim() === '' ? NaN : Number(text);
  const problem = field ? fieldProblem(field, v) : Number.isInteger(v) && v >= 1 ? undefined : 'must be a whole number of at least 1';
  if (problem) throw new Error(`--${flag} ${JSON.stringify(text)}: ${problem}`);
  return v;
}

/** The sweep's flags, each checked; every problem is an error naming its flag. */
export function parseSweepArgs(argv: string[]): SweepCommand | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new Error(`sweep: ${(e as Error).message}; see sweep --help`);
  }
  if (values.help) return 'help';
  if (values.bn && values['no-bn']) throw new Error('--bn and --no-bn contradict each other; give one');
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new Error(`--format ${JSON.stringify(format)}: must be json or csv`);
  const bnStats = values['bn-stats'] ?? 'batch';
  if (!(BN_STATS_MODES as readonly string[]).includes(bnStats))
    throw new Error(`--bn-stats ${JSON.stringify(bnStats)}: must be ${BN_STATS_MODES.join(' or ')}`);
  let schemes;
  try {
    schemes = parseSchemeList(values.schemes ?? 'he,risotto,fixup,skipinit');
  } catch (e) {
    throw new Error(`--schemes ${JSON.stringify(values.schemes)}: ${(e as Error).message}`);
  }
  const d = defaultStageSettings();
  const request: DepthSweepRequest = {
    schemes,
    maxDepth: number('max-depth', values['max-depth'], 'depth') ?? STAGE_FIELDS.depth.max,
    seeds: number('seeds', values.seeds) ?? DEFAULT_SWEEP_SEEDS,
    settings: {
      width: number('width', values.width, 'width') ?? d.width,
      batchNorm: Boolean(values.bn),
      aRes: number('a-res', values['a-res'], 'aRes') ?? d.aRes,
      aSkip: number('a-skip', values['a-skip'], 'aSkip') ?? d.aSkip,
      seed: number('seed', values.seed, 'seed') ?? d.seed,
    },
    bnStats: bnStats as BnStatsMode,
    probeSize: number('probe', values.probe) ?? DEFAULT_PROBE_SIZE,
  };
  const problems = sweepProblems(request);
  if (problems.length) throw new Error(`sweep:\n- ${problems.join('\n- ')}`);
  return { request, format };
}

/** The table as printed: JSON (settings + rows; NaN as null) or CSV. */
export function formatSweep(cmd: SweepCommand, rows: readonly SweepRow[]): string {
  if (cmd.format === 'csv') return sweepCsv(rows);
  const { request: r } = cmd;
  const settings = { ...r.settings, maxDepth: r.maxDepth, seeds: r.seeds, bnStats: r.bnStats, probeSize: r.probeSize, schemes: r.schemes };
  return `${JSON.stringify({ format: 'risotto-lab-sweep', settings, rows }, null, 1)}\n`;
}

export async function runSweep(argv: string[], log: (s: string) => void): Promise<void> {
  const cmd = parseSweepArgs(argv);
  if (cmd === 'help') {
    process.stdout.write(SWEEP_HELP);
    return;
  }
  const ctx = await acquireNodeDevice();
  try {
    const t0 = Date.now();
    const rows = await depthSweep(ctx, cmd.request, {
      onProgress: ({ done, total, row }) =>
        log(
          `[${done}/${total}] ${((Date.now() - t0) / 1000).toFixed(0)}s  ${row.scheme} D=${row.depth} seed ${row.seed}: sigma_max ${row.sigmaMax.toExponential(3)}  max|sigma-1| ${row.maxAbsDeviation.toExponential(2)}  q ${row.q.toPrecision(4)}  cos ${row.cosine.toFixed(4)}`,
        ),
    });
    process.stdout.write(formatSweep(cmd, rows));
  } finally {
    ctx.destroy();
  }
}
