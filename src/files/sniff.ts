// Which allowed type a file is, from its first bytes (and, for the Office formats, its
// container's directory), never from the name alone: a name only has to agree.

export type FileFamily = 'image' | 'pdf' | 'word' | 'excel';

export interface FileType {
  /** The extension a stored file gets (canonical, lower case, no dot). */
  ext: string;
  mime: string;
  family: FileFamily;
  /** Extensions a sender's file name may have for this content. */
  names: readonly string[];
}

const T = (ext: string, mime: string, family: FileFamily, names: string[] = [ext]): FileType => ({ ext, mime, family, names });

export const FILE_TYPES = {
  jpg: T('jpg', 'image/jpeg', 'image', ['jpg', 'jpeg', 'jpe', 'jfif']),
  png: T('png', 'image/png', 'image'),
  webp: T('webp', 'image/webp', 'image'),
  heic: T('heic', 'image/heic', 'image', ['heic', 'heif', 'hif']),
  pdf: T('pdf', 'application/pdf', 'pdf'),
  doc: T('doc', 'application/msword', 'word'),
  docx: T('docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'word'),
  xls: T('xls', 'application/vnd.ms-excel', 'excel'),
  xlsx: T('xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'excel'),
} as const satisfies Record<string, FileType>;

export type StoredExt = keyof typeof FILE_TYPES;

export function isStoredExt(ext: string): ext is StoredExt {
  return Object.hasOwn(FILE_TYPES, ext);
}

const startsWith = (b: Buffer, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (b: Buffer, at: number, len: number) => b.toString('latin1', at, at + len);

/** ISO-BMFF brands of HEIF still images (HEIC, and HEIF of other codecs). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'heif']);

function isHeif(b: Buffer): boolean {
  if (b.length < 16 || ascii(b, 4, 4) !== 'ftyp') return false;
  const boxLen = Math.min(b.readUInt32BE(0), b.length);
  if (HEIF_BRANDS.has(ascii(b, 8, 4))) return true;
  // Compatible brands after the major brand and its version.
  for (let at = 16; at + 4 <= boxLen; at += 4) if (HEIF_BRANDS.has(ascii(b, at, 4))) return true;
  return false;
}

/** Names of the entries of a zip's central directory; null when it is no readable zip. */
export function zipEntryNames(b: Buffer): string[] | null {
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  const from = Math.max(0, b.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = b.length - 22; i >= from; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLen = b.readUInt16LE(at + 28);
    const extraLen = b.readUInt16LE(at + 30);
    const commentLen = b.readUInt16LE(at + 32);
    if (at + 46 + nameLen > b.length) return null;
    names.push(b.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const utf16 = (s: string) => Buffer.from(s, 'utf16le');
const WORD_STREAM = utf16('WordDocument');
const EXCEL_STREAMS = [utf16('Workbook'), utf16('Book\0')];

/** A compound file (.doc, .xls): told apart by the name of its main stream in the directory. */
function compoundType(b: Buffer): FileType | null {
  if (b.includes(WORD_STREAM)) return FILE_TYPES.doc;
  if (EXCEL_STREAMS.some((s) => b.includes(s))) return FILE_TYPES.xls;
  return null;
}

/** The allowed type of this content, or null when it is none of them. */
export function sniffType(b: Buffer): FileType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return FILE_TYPES.jpg;
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return FILE_TYPES.png;
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return FILE_TYPES.webp;
  if (isHeif(b)) return FILE_TYPES.heic;
  // A PDF's header may follow a little junk (the specification allows it within the first 1024 bytes).
  if (b.subarray(0, 1024).includes('%PDF-')) return FILE_TYPES.pdf;
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return compoundType(b);
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(b);
    if (!names) return null;
    if (names.includes('word/document.xml')) return FILE_TYPES.docx;
    if (names.includes('xl/workbook.xml')) return FILE_TYPES.xlsx;
  }
  return null;
}

/** The extension of a file name, lower case without the dot ('' when none). */
export function extOf(name: string | undefined): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name?.trim() ?? '');
  return m ? m[1].toLowerCase() : '';
}
