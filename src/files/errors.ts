// A file refused at intake: the message is the sentence for the sender, the reason is for code.
import { DomainError } from '../domain/errors.ts';

export type FileRefusal = 'too_large' | 'type_not_allowed' | 'type_mismatch' | 'empty' | 'download_failed';

export class FileRefused extends DomainError {
  constructor(
    readonly reason: FileRefusal,
    message: string,
  ) {
    super(`file_${reason}`, message);
  }
}

/** A download refused or stopped because the content passed the limit. */
export class DownloadTooLarge extends Error {
  constructor(
    /** The size announced, or the bytes read when reading stopped. */
    readonly bytes: number,
    /** True when `bytes` is the file's real size (announced), false when reading was cut short. */
    readonly exact: boolean,
  ) {
    super(`download over the limit (${exact ? '' : 'more than '}${bytes} bytes)`);
  }
}
