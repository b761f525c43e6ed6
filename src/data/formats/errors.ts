// The one error type every dataset parser throws: a machine-readable `code` for the UI
// and tests, and a message that says what is wrong with which file and how to fix it.
// Option mistakes by the calling code (a bad testFraction) are plain Errors, not these.

export type DatasetFormatErrorCode =
  | 'empty' // no files, a zero-byte file, or no records in it
  | 'too-large' // the upload is bigger than the caller's byte limit
  | 'archive-too-large' // an archive would expand past the expansion limit or ratio (zip bomb guard)
  | 'unknown-format' // no parser recognises the file, or formats are mixed
  | 'bad-magic' // the name promises a format whose magic number is missing
  | 'corrupt' // compressed data that does not decompress
  | 'checksum' // an archive member whose CRC-32 disagrees with its bytes (damaged, same length)
  | 'truncated' // the file ends in the middle of a record or header
  | 'size-mismatch' // image dimensions disagree with the byte count or with each other
  | 'count-mismatch' // images and labels files hold different numbers of items
  | 'missing-file' // one half of a pair (images without labels) is absent
  | 'label-range' // a label outside 0 .. classes - 1
  | 'bad-value' // a pixel value that is not an integer 0..255
  | 'bad-image' // the image decoder rejected a file
  | 'empty-class' // a class folder without any image
  | 'unknown-class' // a label or folder naming a class the class list does not hold
  | 'bad-annotation' // a labels file whose line cannot be read, or an image it leaves unlabelled
  | 'too-few-classes'; // fewer than two classes hold any example

export class DatasetFormatError extends Error {
  override readonly name = 'DatasetFormatError';

  constructor(
    readonly code: DatasetFormatErrorCode,
    /** What is wrong and how to fix it, without the file name. */
    readonly detail: string,
    /** The file the problem is in, when there is one. */
    readonly file?: string,
  ) {
    super(file ? `${file}: ${detail}` : detail);
  }

  /** The same error named by another file (the one the user dropped, not a path inside it). */
  renamed(file: string): DatasetFormatError {
    return new DatasetFormatError(this.code, this.detail, file);
  }
}
