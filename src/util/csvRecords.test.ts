import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from './csvRecords';

describe('parseCsvRecords', () => {
  it('splits plain rows, LF and CRLF, without a phantom last record', () => {
    expect(parseCsvRecords('a,b\r\n1,2\n3,\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', ''],
    ]);
  });
  it('keeps commas, doubled quotes and newlines inside quoted fields', () => {
    expect(parseCsvRecords('"risotto(aRes=0.5,aSkip=2)","say ""hi""","two\nlines"\nx')).toEqual([
      ['risotto(aRes=0.5,aSkip=2)', 'say "hi"', 'two\nlines'],
      ['x'],
    ]);
  });
  it('refuses an unterminated quote', () => {
    expect(() => parseCsvRecords('a,"b\n1,2')).toThrow(/closing " is missing/);
  });
  it('reads a last line without a newline', () => {
    expect(parseCsvRecords('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
