// The Share link is built from the page's origin and path alone: a query string the page
// was opened with (however hostile) never travels along, whatever the address bar shows.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultExperiment } from '../lab/experimentFields';
import { encodeExperiment } from '../lab/urlCodec';
import { shareLink } from './urlSync';

afterEach(() => vi.unstubAllGlobals());

describe('shareLink', () => {
  it('is the page address and the normalized fragment only, never the query string', () => {
    vi.stubGlobal('location', new URL('https://lab.example/risotto/?evil=%3Cscript%3E&x=1#v=2&w=abc&foo=1'));
    const exp = { ...defaultExperiment(), seed: 9 };
    expect(shareLink(exp, false)).toBe(`https://lab.example/risotto/#${encodeExperiment(exp)}`);
    expect(shareLink(exp, true)).toBe(`https://lab.example/risotto/#${encodeExperiment(exp)}&run=1`);
  });
});
