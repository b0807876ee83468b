import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { extOf, FILE_TYPES, sniffType, zipEntryNames } from '../../src/files/sniff.ts';
import { NOT_ALLOWED, SAMPLES, zip } from './samples.ts';

describe('sniffType', () => {
  it.each([
    ['jpg', SAMPLES.jpg, 'image/jpeg'],
    ['png', SAMPLES.png, 'image/png'],
    ['webp', SAMPLES.webp, 'image/webp'],
    ['heic', SAMPLES.heic, 'image/heic'],
    ['heic', SAMPLES.heifMif1, 'image/heic'],
    ['pdf', SAMPLES.pdf, 'application/pdf'],
    ['doc', SAMPLES.doc, 'application/msword'],
    ['xls', SAMPLES.xls, 'application/vnd.ms-excel'],
    ['docx', SAMPLES.docx, FILE_TYPES.docx.mime],
    ['xlsx', SAMPLES.xlsx, FILE_TYPES.xlsx.mime],
  ])('knows %s by its content', (ext, content, mime) => {
    expect(sniffType(content)).toMatchObject({ ext, mime });
  });

  it('knows a real .xlsx written by exceljs (compressed entries)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Báo cáo').addRow(['Nhiệm vụ', 'Hạn']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    expect(sniffType(buf)?.ext).toBe('xlsx');
  });

  it.each(Object.entries(NOT_ALLOWED))('refuses %s', (_name, content) => {
    expect(sniffType(content)).toBeNull();
  });

  it('refuses empty, truncated and corrupt containers', () => {
    expect(sniffType(Buffer.alloc(0))).toBeNull();
    expect(sniffType(SAMPLES.docx.subarray(0, 40))).toBeNull();
    expect(zipEntryNames(Buffer.concat([SAMPLES.docx.subarray(0, SAMPLES.docx.length - 22), Buffer.alloc(22)]))).toBeNull();
    expect(zipEntryNames(zip({ 'a.txt': 'x', 'xl/workbook.xml': 'y' }))).toEqual(['a.txt', 'xl/workbook.xml']);
  });

  it('extOf reads the last extension in lower case', () => {
    expect(extOf('Báo cáo.QUÝ 3.PDF')).toBe('pdf');
    expect(extOf('anh')).toBe('');
    expect(extOf(undefined)).toBe('');
    expect(extOf('bien-ban.docx ')).toBe('docx');
  });
});
