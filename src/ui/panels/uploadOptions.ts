// The upload panel's options as the user typed them, turned into the parser's options:
// the held-out test share (when the upload has no test set), the CSV image shape, and the
// size folder images are resized to. A typed value that is not usable is named, so the
// upload is refused before anything is read. Pure; UploadOptions.tsx renders it.
import type { UploadOptions } from '../../lab';

export interface UploadOptionsForm {
  /** Percent held out for testing: "20". */
  testPercent: string;
  /** '' (work it out from the row length), '1' or '3'. */
  csvChannels: string;
  csvHeight: string;
  csvWidth: string;
  /** '' keeps the images' size. */
  resize: string;
}

export const DEFAULT_UPLOAD_FORM: UploadOptionsForm = { testPercent: '20', csvChannels: '', csvHeight: '', csvWidth: '', resize: '' };

export const TEST_PERCENTS = [10, 15, 20, 25, 30, 40, 50];

function side(label: string, text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 4096)
    throw new Error(`CSV ${label} "${text}" is not a whole number from 1 to 4096; fix it in the upload options or leave it empty`);
  return Number(t);
}

/** The options for the parser; throws naming the option that is not usable. */
export function uploadOptionsFrom(form: UploadOptionsForm): UploadOptions {
  const percent = Number(form.testPercent);
  if (!TEST_PERCENTS.includes(percent)) throw new Error(`test split "${form.testPercent}%" is not one of ${TEST_PERCENTS.join(', ')}%`);
  const height = side('height', form.csvHeight);
  const width = side('width', form.csvWidth);
  if ((height === undefined) !== (width === undefined))
    throw new Error('CSV shape: give both height and width (or neither, for square images)');
  const channels: 1 | 3 | undefined = form.csvChannels === '1' ? 1 : form.csvChannels === '3' ? 3 : undefined;
  const csv: NonNullable<UploadOptions['csv']> = { ...(channels && { channels }), ...(height && width && { height, width }) };
  return {
    testFraction: percent / 100,
    ...(Object.keys(csv).length ? { csv } : {}),
    ...(form.resize ? { images: { size: Number(form.resize) } } : {}),
  };
}
