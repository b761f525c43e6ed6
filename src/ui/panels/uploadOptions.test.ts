import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_FORM, uploadOptionsFrom } from './uploadOptions';

describe('upload options', () => {
  it('turns the form into parser options', () => {
    expect(uploadOptionsFrom(DEFAULT_UPLOAD_FORM)).toEqual({ testFraction: 0.2 });
    expect(
      uploadOptionsFrom({ ...DEFAULT_UPLOAD_FORM, testPercent: '40', csvChannels: '3', csvHeight: '4', csvWidth: ' 8 ', resize: '32' }),
    ).toEqual({
      testFraction: 0.4,
      csv: { channels: 3, height: 4, width: 8 },
      images: { size: 32 },
    });
    expect(uploadOptionsFrom({ ...DEFAULT_UPLOAD_FORM, csvChannels: '1' })).toEqual({ testFraction: 0.2, csv: { channels: 1 } });
  });

  it('names the option that is not usable', () => {
    expect(() => uploadOptionsFrom({ ...DEFAULT_UPLOAD_FORM, csvHeight: 'ten', csvWidth: '10' })).toThrow(
      'CSV height "ten" is not a whole number from 1 to 4096; fix it in the upload options or leave it empty',
    );
    expect(() => uploadOptionsFrom({ ...DEFAULT_UPLOAD_FORM, csvWidth: '0', csvHeight: '3' })).toThrow(/^CSV width "0"/);
    expect(() => uploadOptionsFrom({ ...DEFAULT_UPLOAD_FORM, csvHeight: '28' })).toThrow(
      'CSV shape: give both height and width (or neither, for square images)',
    );
    expect(() => uploadOptionsFrom({ ...DEFAULT_UPLOAD_FORM, testPercent: '99' })).toThrow(/^test split "99%" is not one of 10, 15/);
  });
});
