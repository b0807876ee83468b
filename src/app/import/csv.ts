// A small, fast CSV reader: UTF-8 with or without BOM, comma or semicolon
// (detected from the header line), quoted fields holding separators, doubled
// quotes and newlines, CRLF or LF.
import { InvalidInput } from '../../domain/errors.ts';

/** Decodes a file's bytes as UTF-8 text, refusing binary content. */
export function decodeCsv(bytes: Buffer, fileLabel: string): string {
  if (bytes.length === 0) throw new InvalidInput(`Tệp ${fileLabel} trống: không có dòng tiêu đề nào.`);
  if (bytes.includes(0)) {
    throw new InvalidInput(`Tệp ${fileLabel} không phải tệp văn bản CSV (có vẻ là tệp nhị phân). Hãy lưu bảng tính dưới dạng .csv (UTF-8) hoặc dùng tệp .xlsx.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInput(`Tệp ${fileLabel} không phải văn bản UTF-8. Hãy lưu lại dưới dạng "CSV UTF-8" hoặc dùng tệp .xlsx.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InvalidInput(`Tệp ${fileLabel} trống: không có dòng tiêu đề nào.`);
  return text;
}

function detectSeparator(text: string): string {
  let commas = 0;
  let semis = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (c === '\n' || c === '\r') break;
      if (c === ',') commas++;
      else if (c === ';') semis++;
    }
  }
  return semis > commas ? ';' : ',';
}

export interface CsvRecord {
  /**
   * 1-based row number as a spreadsheet program shows the file: a newline inside
   * quotes stays in its cell, a blank line is an empty row.
   */
  line: number;
  fields: string[];
}

/** Splits CSV text into records. Blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  return Array.from(csvRecords(text));
}

/** The records of CSV text one at a time, so a big file is never held twice (as text and as records). */
export function* csvRecords(text: string): Generator<CsvRecord> {
  const sep = detectSeparator(text);
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (i < n && text[i] === '"') {
        i++;
        let chunkStart = i;
        for (;;) {
          if (i >= n) {
            field += text.slice(chunkStart, i);
            break;
          }
          const c = text.charCodeAt(i);
          if (c === 34 /* " */) {
            field += text.slice(chunkStart, i);
            if (text.charCodeAt(i + 1) === 34) {
              field += '"';
              i += 2;
              chunkStart = i;
              continue;
            }
            i++;
            break;
          }
          i++;
        }
        // Anything between the closing quote and the separator is kept as typed.
        const restStart = i;
        while (i < n && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r') i++;
        field += text.slice(restStart, i);
      } else {
        const start = i;
        while (i < n) {
          const c = text[i];
          if (c === sep || c === '\n' || c === '\r') break;
          i++;
        }
        field = text.slice(start, i);
      }
      fields.push(field);
      field = '';
      if (i >= n) endOfRecord = true;
      else if (text[i] === sep) i++;
      else {
        if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
        else i++;
        line++;
        endOfRecord = true;
      }
    }
    if (!(fields.length === 1 && fields[0].trim() === '')) yield { line: startLine, fields };
  }
}
