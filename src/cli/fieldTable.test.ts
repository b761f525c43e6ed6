// The field table drives links, JSON files and command-line flags alike: a valid config
// written as a link, as JSON, as a --config file or as flags reads back the same, without
// warnings; and a value out of range gives the same words from all of them (a link or a
// JSON file clamps it with a warning, a flag or --config refuses it with that warning).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validConfig } from '../lab/configTesting';
import { defaultExperiment, FIELDS, fieldApplies, type ExperimentField } from '../lab/experimentFields';
import { validateExperiment } from '../lab/experimentChecks';
import { type ExperimentConfig } from '../lab/experimentConfig';
import { decodeExperiment, decodeExperimentJson, encodeExperiment } from '../lab/urlCodec';
import { formatNumber } from '../lab/urlValues';
import { experimentFrom, parse } from './args';
import { fieldFlagsHelp, flagsFor } from './fieldFlags';

const dir = mkdtempSync(join(tmpdir(), 'field-table-'));
let files = 0;
const configFile = (json: unknown) => {
  const path = join(dir, `c${files++}.json`);
  writeFileSync(path, JSON.stringify(json));
  return path;
};

function fromCli(argv: string[]): { config: ExperimentConfig; warnings: string[] } {
  const warnings: string[] = [];
  return { config: experimentFrom(parse(['train', ...argv]).values, (w) => warnings.push(w)), warnings };
}

/** The JSON object with `value` at `path` and nothing else. */
function jsonAt(path: readonly string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), value) as Record<string, unknown>;
}

/** A warning without its "where" (`w=9999: `, `model.width = 9999: `, `--width "9999": `). */
const words = (w: string) => w.slice(w.indexOf(': ') + 2).replace(/; give a value in range$/, '');

describe('one field table: URL <-> JSON <-> CLI', () => {
  it('a valid config reads back the same from a link, JSON, a --config file and flags, silently', () => {
    fc.assert(
      fc.property(validConfig(), (c) => {
        expect(validateExperiment(c)).toEqual([]);
        const url = decodeExperiment(encodeExperiment(c));
        const json = decodeExperimentJson(JSON.parse(JSON.stringify(c)));
        const file = fromCli(['--config', configFile(c)]);
        const flags = fromCli(flagsFor(c));
        for (const got of [url, json, file, flags]) {
          expect(got.warnings).toEqual([]);
          expect(got.config).toEqual(c);
        }
      }),
      { numRuns: 150 },
    );
  });

  const numberFields = FIELDS.filter((f) => f.type.shape.kind === 'number' && fieldApplies(f, defaultExperiment()));

  it('a number out of range gives the same config from a link and JSON, and the same words from all four', () => {
    const outOfRange = fc.constantFrom(...numberFields).chain((f) => {
      const s = f.type.shape as { range: { min: number; max: number; integer?: boolean } };
      const { min, max, integer } = s.range;
      const bad = fc.oneof(
        fc.double({ min: max + Math.max(1, Math.abs(max)), max: max * 4 + 10, noNaN: true }),
        fc.double({ min: min - Math.max(10, Math.abs(min) * 3), max: min - Math.max(1, Math.abs(min)), noNaN: true }),
        ...(integer ? [fc.integer({ min, max: Math.min(max, min + 100) }).map((n) => n + 0.25)] : []),
      );
      return fc.tuple(fc.constant(f), bad);
    });
    fc.assert(
      fc.property(outOfRange, ([f, v]: [ExperimentField, number]) => {
        const text = formatNumber(v);
        const url = decodeExperiment(`${f.key}=${text}`);
        const json = decodeExperimentJson(jsonAt(f.path, v));
        expect(json.config).toEqual(url.config);
        expect(url.warnings.map(words)).toEqual(json.warnings.map(words));
        expect(url.warnings.length).toBeGreaterThan(0);
        const reason = words(url.warnings[0]);
        expect(() => fromCli([`--${f.flag}=${text}`])).toThrow(reason);
        expect(() => fromCli(['--config', configFile(jsonAt(f.path, v))])).toThrow(reason);
      }),
      { numRuns: 200 },
    );
  });

  it('a field that does not apply is named the same way by a link and JSON, and refused by a flag', () => {
    const url = decodeExperiment('opt=adam&mom=0.5');
    const json = decodeExperimentJson({ optimizer: { kind: 'adam', lr: 0.05, momentum: 0.5 } });
    expect(url.warnings.map(words)).toEqual(['applies only to the SGD optimizers, ignored']);
    expect(json.warnings.map(words)).toEqual(url.warnings.map(words));
    expect(json.config).toEqual(url.config);
    expect(() => fromCli(['--optimizer', 'adam', '--momentum', '0.5'])).toThrow(
      /^--momentum applies only to --optimizer sgd or sgd-nesterov, not adam$/,
    );
  });

  it('--config warns about unknown keys by name and still reads the rest', () => {
    const path = configFile({ version: 2, steps: 50, model: { widht: 8 } });
    const { config, warnings } = fromCli(['--config', path]);
    expect(config.steps).toBe(50);
    expect(warnings).toEqual([`--config ${path}: unknown field model.widht; ignored`]);
  });

  it('every field has a flag, and --help lists each with its range and default', () => {
    const help = fieldFlagsHelp();
    for (const f of FIELDS) {
      expect(help).toContain(`--${f.flag}`);
      expect(parse(['train', ...(f.type.shape.kind === 'boolean' ? [`--no-${f.flag}`] : [`--${f.flag}=1`])]).values).toBeDefined();
    }
    expect(help).toMatch(/--width N +Width \[channels\]: .*a whole number from 1 to 512; default 16/);
    expect(help).toMatch(/--bn \/ --no-bn +BatchNorm: .*default off/);
    expect(new Set(FIELDS.map((f) => f.flag)).size).toBe(FIELDS.length);
    expect(new Set(FIELDS.map((f) => f.key)).size).toBe(FIELDS.length);
  });

  it('the default experiment is the table defaults, each one a value its own type accepts unchanged', () => {
    const d = defaultExperiment();
    expect(validateExperiment(d)).toEqual([]);
    for (const f of FIELDS) {
      if (f.default === undefined) continue;
      const got = f.type.accept(f.default);
      expect(got, f.key).toEqual({ value: f.default, note: undefined });
    }
  });
});
