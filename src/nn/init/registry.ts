// Every init scheme the lab offers, by id: the one table the UI lists, the URL codec
// validates against and the runner calls. Entries live beside their schemes.

import { deltaOrthogonalScheme, looksLinearNoCorrectionScheme } from './ablations';
import { fixupScheme } from './fixup';
import { heScheme } from './he';
import { reZeroScheme } from './reZero';
import { risottoScheme } from './risotto';
import type { InitScheme, InitSchemeId } from './scheme';
import { skipInitScheme } from './skipInit';

export type { InitOptionSpec, InitOptionValues, InitScheme, InitSchemeId } from './scheme';

/** In display order: the headline scheme, the baselines, then the ablations. */
export const INIT_SCHEMES: Readonly<Record<InitSchemeId, InitScheme>> = Object.freeze({
  risotto: risottoScheme,
  he: heScheme,
  fixup: fixupScheme,
  skipinit: skipInitScheme,
  rezero: reZeroScheme,
  deltaOrthogonal: deltaOrthogonalScheme,
  looksLinearNoCorrection: looksLinearNoCorrectionScheme,
});

export const INIT_SCHEME_IDS = Object.keys(INIT_SCHEMES) as InitSchemeId[];

export function isInitSchemeId(x: unknown): x is InitSchemeId {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(INIT_SCHEMES, x);
}

export function initScheme(id: InitSchemeId): InitScheme {
  const s = INIT_SCHEMES[id];
  if (!s) throw new Error(`unknown init scheme '${String(id)}' (known: ${INIT_SCHEME_IDS.join(', ')})`);
  return s;
}
