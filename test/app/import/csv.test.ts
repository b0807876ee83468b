import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv } from '../../../src/app/import/csv.ts';
import { InvalidInput } from '../../../src/domain/errors.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('CSV reader', () => {
  it('reads commas and semicolons, chosen from the header line', () => {
    expect(fields('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a;b\n1,5;2\n')).toEqual([['a', 'b'], ['1,5', '2']]);
  });

  it('detects the separator outside quotes and keeps the other one as text', () => {
    expect(fields('"Mã;x",b,c\n1;2,3,4\n')).toEqual([['Mã;x', 'b', 'c'], ['1;2', '3', '4']]);
    expect(fields('code;"title, full";unit\nNV-1;"A, B";XA1\n')).toEqual([['code', 'title, full', 'unit'], ['NV-1', 'A, B', 'XA1']]);
  });

  it('keeps separators, doubled quotes and newlines inside quoted fields', () => {
    const rows = parseCsv('code,title\nNV-1,"Báo cáo ""CCHC"", quý 1\ndòng hai"\nNV-2,x\n');
    expect(rows.map((r) => r.fields)).toEqual([['code', 'title'], ['NV-1', 'Báo cáo "CCHC", quý 1\ndòng hai'], ['NV-2', 'x']]);
    // Rows as a spreadsheet numbers them: the quoted newline stays inside row 2.
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
  });

  it('accepts CRLF and LF, a missing final newline, blank lines and empty fields', () => {
    expect(fields('a,b\r\n1,\r\n\r\n,2')).toEqual([['a', 'b'], ['1', ''], ['', '2']]);
    expect(parseCsv('a,b\n\n1,2\n').map((r) => r.line)).toEqual([1, 3]);
  });

  it('strips a BOM and refuses binary, non-UTF-8 and empty files', () => {
    expect(decodeCsv(Buffer.from('\ufeffMã,Tên\n', 'utf8'), 'x.csv')).toBe('Mã,Tên\n');
    expect(() => decodeCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]), 'x.csv')).toThrow(/nhị phân/);
    expect(() => decodeCsv(Buffer.from([0x4d, 0xe3, 0x2c]), 'x.csv')).toThrow(/UTF-8/);
    expect(() => decodeCsv(Buffer.alloc(0), 'x.csv')).toThrow(InvalidInput);
    expect(() => decodeCsv(Buffer.from('\n\n  \n'), 'x.csv')).toThrow(/trống/);
  });
});
