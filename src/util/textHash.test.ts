import { describe, expect, it } from 'vitest';
import { textHash } from './textHash';

describe('textHash', () => {
  it('is 16 hex digits, the same for the same text and different for a one-character change', () => {
    const code = '@compute @workgroup_size(64) fn main() { y[0] = 1.0; }';
    expect(textHash(code)).toMatch(/^[0-9a-f]{16}$/);
    expect(textHash(code)).toBe(textHash(`${code}`));
    const variants = [code.replace('64', '32'), code.replace('1.0', '2.0'), `${code} `, '', 'a', 'b'];
    expect(new Set([code, ...variants].map(textHash)).size).toBe(variants.length + 1);
  });
});
