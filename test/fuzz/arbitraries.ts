// Generators of hostile input, shared by the fuzz tests (npm test, few runs) and
// proof/suites/fuzz.ts (many runs): arbitrary unicode, emoji and ZWJ sequences,
// combining marks, RTL marks, NUL and control characters, Markdown / HTML,
// huge texts, command-shaped texts, date- and period-shaped texts, broken files.
import fc from 'fast-check';

/** The value once in `n` draws, else null (fc.option's `freq` is the other way round: null once in `freq`). */
export function sometimes<T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

/** Pieces that break naive text handling. */
export const NASTY_PIECES = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\n',
  '\t',
  '\u00a0',
  '\u200b',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u202e',
  '\u200f',
  '\u061c',
  'مرحبا',
  'שלום',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '👍🏽',
  '🇻🇳',
  '\ud83d',
  '\udc4d',
  'a\u0301\u0323\u0302',
  'Ư\u0309',
  'e\u0300\u0300\u0300\u0300',
  '𝕏',
  '*bold*',
  '_it_',
  '`code`',
  '```',
  '[link](http://x)',
  '<b>',
  '</i>',
  '<script>alert(1)</script>',
  '&amp;',
  '&#0;',
  '\\',
  '"',
  "'",
  '%s',
  '${x}',
  '=HYPERLINK("http://x")',
  '+1',
  '-',
  '@nhacviec_bot',
  '@otherbot',
  '/',
  '//',
  '#',
  ':',
  'lý do:',
  'ly do trễ hạn:',
  'NV-10',
  'NV-12',
  'nv-09',
  'XA-AN',
  'XA-SON',
  'TINH',
  '30/09/2026',
  '31/12/2026',
  '29/02/2028',
  '31/02/2027',
  '2026-12-31T23:59:59+07:00',
  '99/99/9999',
  'quý 3',
  '9 tháng',
  'hằng tháng ngày 20',
  'thứ sáu hằng tuần',
  '9'.repeat(30),
  'Đ',
  'ầ',
  'Ỵ',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
] as const;

/** A string of the given kind of unicode. */
const unicodeText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
);

/** A mix of nasty pieces, plain words and random unicode, joined by random spacing. */
export const nastyText: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...NASTY_PIECES), unicodeText, fc.constantFrom('viec', 'xong', 'giao', 'lý', 'do', 'tháng', ' ', '  ')), {
    maxLength: 12,
  })
  .chain((parts) => fc.array(fc.constantFrom(' ', '', '\n', '\t', '  '), { minLength: parts.length, maxLength: parts.length }).map((gaps) => parts.map((p, i) => p + gaps[i]).join('')));

/** A text of 5,000 to 20,000 characters: a repeated piece, with or without a command in front. */
export const hugeText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '/xong NV-10 ', '/giao XA-AN 31/12/2026 ', '/giahan NV-10 31/12/2026 ', '/viec ', '/tuchoi 1 ', '/tinhhinh ', '/dangky '),
    fc.oneof(fc.constantFrom(...NASTY_PIECES), fc.string({ minLength: 1, maxLength: 8 })),
    fc.integer({ min: 5_000, max: 20_000 }),
  )
  .map(([head, piece, n]) => head + piece.repeat(Math.ceil(n / Math.max(1, piece.length))).slice(0, n));

/** Every command word the parser knows, with diacritics, aliases, odd case and two-word spellings. */
export const COMMAND_WORDS = [
  'trogiup',
  'trợ giúp',
  'help',
  'start',
  'dangky',
  'đăng ký',
  'register',
  'viec',
  'việc',
  'nhiemvu',
  'tasks',
  'xong',
  'XONG',
  'hoàn thành',
  'done',
  'giahan',
  'gia hạn',
  'extend',
  'duyet',
  'duyệt',
  'approve',
  'tuchoi',
  'từ chối',
  'reject',
  'tinhhinh',
  'tình hình',
  'status',
  'baocao',
  'báo cáo',
  'report',
  'camket',
  'cam kết',
  'commitments',
  'giao',
  'assign',
  'dunglap',
  'dừng lặp',
  'stoprepeat',
  'nhom',
  'nhóm',
  'bindgroup',
  'xacnhan',
  'xác nhận',
  'confirm',
  'tralai',
  'trả lại',
  'return',
  'minhchung',
  'minh chứng',
  'evidence',
  'phancong',
  'phân công',
  'delegate',
  'tamdung',
  'tạm dừng',
  'suspend',
  'tieptuc',
  'tiếp tục',
  'resume',
  'web',
  'xong@nhacviec_bot',
  'viec@otherbot',
  'khongco',
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
] as const;

/** Argument-shaped words: task codes (existing or not), unit codes, dates, periods, rules, numbers. */
const argWord = fc.oneof(
  fc.constantFrom(
    'NV-09',
    'NV-10',
    'NV-11',
    'NV-12',
    'NV-13',
    'nv-10',
    'NV-99',
    'XA-AN',
    'XA-SON',
    'TINH',
    'KHONGCO',
    'lanhdao',
    '1',
    '#1',
    '0',
    '999999999',
    '-1',
    '1e9',
    'quahan',
    'tuannay',
    'quy 3',
    'thang 9',
    '6 thang',
    'nam 2026',
    'hằng tháng ngày 20',
    'hằng quý ngày 15 tháng cuối quý',
    'hằng năm ngày 15/12',
    'thứ sáu hằng tuần',
    'lý do:',
    'Rà soát hộ nghèo',
    'phối hợp:',
    'phoi hop: XA-SON, TINH',
    'with:',
    'không thời hạn',
    'no deadline',
    'toi',
    'CB-XA-AN',
    'constructor',
    'hằng tuần constructor',
    '__proto__',
  ),
  fc
    .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1999, max: 2101 }))
    .map(([d, m, y]) => `${d}/${m}/${y}`),
  nastyText,
);

/** A command-shaped message: optional slash, a command word, up to five arguments. */
export const commandText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('/', '/', '/', '', ' /', '\u200b/'), fc.constantFrom(...COMMAND_WORDS), fc.array(argWord, { maxLength: 5 }))
  .map(([slash, word, args]) => [slash + word, ...args].join(' '));

const code = fc.constantFrom('NV-02', 'NV-03', 'NV-05', 'NV-08', 'NV-09', 'NV-10', 'NV-12', 'NV-13', 'NV-15', 'nv-10');
const unitCode = fc.constantFrom('XA-AN', 'XA-SON', 'TINH', 'SO-NV', 'PH-TT', 'xa-an');
const futureDay = fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(2026, 2027)).map(([d, m, y]) => `${d}/${m}/${y}`);
/** Free text (titles, reasons, notes): kept, echoed and sent on to others. */
const freeText = fc.oneof(nastyText, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 600 }), fc.constantFrom('😀'.repeat(400), 'Đ'.repeat(2100)));

/** Commands with the right shape and real codes, so that the writing paths run with hostile free text. */
export const wellFormedCommand: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(code, freeText).map(([c, t]) => `/xong ${c} ${t}`),
  fc.tuple(code, freeText).map(([c, t]) => `/xong ${c} lý do: ${t}`),
  fc.tuple(code, futureDay, freeText).map(([c, d, t]) => `/giahan ${c} ${d} ${t}`),
  fc.tuple(fc.integer({ min: 1, max: 6 }), freeText).map(([n, t]) => `/tuchoi ${n} ${t}`),
  fc.integer({ min: 1, max: 6 }).map((n) => `/duyet ${n}`),
  fc.tuple(unitCode, futureDay, freeText).map(([u, d, t]) => `/giao ${u} ${d} ${t}`),
  fc.tuple(unitCode, fc.constantFrom('hằng tháng ngày 20', 'hằng quý ngày 15 tháng cuối quý', 'thứ sáu hằng tuần'), freeText).map(([u, r, t]) => `/giao ${u} ${r} ${t}`),
  fc.tuple(unitCode, periodWords()).map(([u, p]) => `/tinhhinh ${u} ${p}`),
  fc.tuple(unitCode, fc.constantFrom('CCHC-01', 'CCHC-02', 'PAR-01'), fc.constantFrom('99', '96,5%', '-1', '1e308', 'abc', '0,0001')).map(([u, t, v]) => `/camket capnhat ${u} ${t} ${v}`),
  unitCode.map((u) => `/nhom ${u}`),
  code.map((c) => `/xacnhan ${c}`),
  fc.tuple(code, freeText).map(([c, t]) => `/tralai ${c} ${t}`),
  code.map((c) => `/minhchung ${c}`),
  freeText,
);

function periodWords(): fc.Arbitrary<string> {
  return fc.constantFrom('', 'quy 3', 'thang 11', '6 thang', 'nam 2025', 'tuan nay', '01/01/2026-31/03/2026');
}

/** Anything a person could type into the chat. */
export const chatText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: commandText },
  { weight: 4, arbitrary: wellFormedCommand },
  { weight: 3, arbitrary: nastyText },
  { weight: 1, arbitrary: hugeText },
);

/** Button payloads: real shapes with hostile arguments, garbage, over-long ones. */
export const callbackData: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('xong:', 'duyet:', 'tuchoi:', 'xacnhan:', 'tralai:', 'XONG:', 'xong', 'duyet::', 'tralai::', ''), argWord).map(([a, b]) => a + b),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.string({ minLength: 65, maxLength: 300 }).map((s) => `xong:${s}`),
);

/** Date-shaped texts: valid and broken day / month / year / time / offset combinations, plus noise. */
export const dateText: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: -1, max: 40 }),
      fc.integer({ min: -1, max: 14 }),
      fc.integer({ min: 0, max: 99999 }),
      fc.constantFrom('/', '-', '.', ' '),
      fc.option(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom(':', 'h', 'g'))),
    )
    .map(([d, m, y, sep, t]) => `${d}${sep}${m}${sep}${y}${t ? ` ${t[0]}${t[2]}${String(t[1]).padStart(2, '0')}` : ''}`),
  fc
    .tuple(
      fc.integer({ min: 0, max: 99999 }),
      fc.integer({ min: -1, max: 14 }),
      fc.integer({ min: -1, max: 40 }),
      fc.option(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }))),
      fc.constantFrom('', 'Z', 'z', '+07:00', '-05:00', '+0700', '+99:99', '-23:59', '+14:00'),
    )
    .map(([y, m, d, t, off]) => {
      const ymd = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      return t ? `${ymd}T${String(t[0]).padStart(2, '0')}:${String(t[1]).padStart(2, '0')}:${String(t[2]).padStart(2, '0')}.${t[3]}${off}` : ymd + off;
    }),
  nastyText,
  hugeText,
);

/** Period-shaped texts, as typed after /tinhhinh and /baocao. */
export const periodText: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('tháng', 'thang', 'quý', 'quy', 'năm', 'nam', '', 'tuần', 'tuan', 'hằng tuần', 'constructor', 'hằng tháng ngày'),
      fc.oneof(fc.integer({ min: -5, max: 99999 }).map(String), fc.constantFrom('i', 'ii', 'iii', 'iv', 'v', 'này', 'nay', '')),
      fc.constantFrom('', '/2026', '/1999', '/2101', ' năm 2025', '/0', ' 2030', ' tháng', ' thang dau nam'),
    )
    .map(([a, b, c]) => `${a} ${b}${c}`),
  fc.tuple(dateText, fc.constantFrom('-', '–', ' đến ', ' tới ', ' - '), dateText).map(([a, s, b]) => a + s + b),
  nastyText,
  hugeText,
);

/** Zones the parsers must round-trip in: Việt Nam, a half-hour zone, one with daylight saving, UTC. */
export const ZONES = ['Asia/Ho_Chi_Minh', 'Asia/Kolkata', 'America/New_York', 'Europe/London', 'UTC'] as const;

/** A calendar day from 1970 to 2100 weighted towards month ends and leap days. */
export const calendarDay: fc.Arbitrary<{ y: number; m: number; d: number }> = fc.oneof(
  fc.date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true }).map((dt) => ({
    y: dt.getUTCFullYear(),
    m: dt.getUTCMonth() + 1,
    d: dt.getUTCDate(),
  })),
  fc.tuple(fc.integer({ min: 1970, max: 2100 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => ({ y, m, d: new Date(Date.UTC(y, m, 0)).getUTCDate() })),
  fc.integer({ min: 0, max: 31 }).map((k) => ({ y: 1972 + 4 * k, m: 2, d: 29 })),
);

/** An instant from 1970 to 2100, to the millisecond. */
export const instantMs: fc.Arbitrary<number> = fc.integer({ min: 0, max: Date.UTC(2100, 11, 31) });

/** An instant from 1970 to 2100 (whole minutes: the dd/mm/yyyy HH:mm form carries minutes). */
export const instantMinute: fc.Arbitrary<number> = fc.integer({ min: 0, max: Math.floor(Date.UTC(2100, 11, 31) / 60_000) }).map((m) => m * 60_000);
