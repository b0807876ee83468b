// Spreadsheet formula injection: a cell that starts with = + - @ (or a tab / CR)
// would be run as a formula by Excel or LibreOffice. Such text is prefixed with
// a single quote so it stays plain text.

const DANGEROUS = /^[=+\-@\t\r]/;

export function safeCell<T>(v: T): T | string {
  return typeof v === 'string' && DANGEROUS.test(v) ? `'${v}` : v;
}
