// exceljs, loaded the first time a spreadsheet is read or written: it costs every process
// that loads it about 27 MB of memory and 0.2 s, and most never touch an .xlsx (the bot
// between reports, the scheduler, an import of a .csv).
import type ExcelJS from 'exceljs';

let loaded: Promise<typeof ExcelJS> | undefined;

export function loadExcelJs(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then((m) => m.default);
  return loaded;
}
