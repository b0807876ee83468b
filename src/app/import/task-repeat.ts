// The tasks import's optional `repeat` / `Lặp lại` column: a rule text in the forms
// /giao accepts. Every rule is checked while the rows are read (so --dry-run
// checks it too); the task is then made the first occurrence of the rule, in the
// import's transaction.
import type { Holidays } from '../../config.ts';
import { ruleByCode } from '../../db/recurring.repo.ts';
import type { Db } from '../../db/open.ts';
import { DomainError } from '../../domain/errors.ts';
import { occurrences, parseRule, type RecurrenceRule } from '../../domain/recurrence.ts';
import { ruleCodeOfTask } from '../../db/import-tasks.repo.ts';
import { attachedRuleCode, attachedRuleStart, attachRule } from '../recurring/create.ts';
import { calendarOf, type CalendarConfig } from '../recurring/rule-spec.ts';
import type { RowReader } from './cells.ts';

export interface RepeatRow {
  code: string;
  ruleText: string;
}

const FORMS_MARK = ' Các dạng được chấp nhận:';

function sameRule(spec: RecurrenceRule, row: { ruleJson: string; shift: string; endsOn: string | null; maxCount: number | null }): boolean {
  return (
    JSON.stringify(spec.pattern) === row.ruleJson &&
    spec.shift === row.shift &&
    (spec.endsOn ?? null) === row.endsOn &&
    (spec.maxCount ?? null) === row.maxCount
  );
}

export class RepeatColumn {
  private readonly config: CalendarConfig;
  private readonly parsed = new Map<string, RecurrenceRule | string>();
  /** The line where the accepted forms were listed, so later bad rules refer to it instead of repeating them. */
  private formsShownAt: number | undefined;

  constructor(
    /** For the checks while the rows are read; the writes go through attachAll's transaction. */
    private readonly db: Db,
    private readonly now: number,
    zone: string,
    calendar: Holidays,
  ) {
    this.config = { zone, calendar };
  }

  /**
   * The rule to attach after the row is written, or null when the cell is empty or
   * the task already repeats by this same rule. Problems are recorded on the row.
   */
  async check(r: RowReader, code: string, deadline: number | null): Promise<RepeatRow | null> {
    const ruleText = r.text('repeat');
    if (ruleText === '' || !code) return null;
    const spec = this.parse(r, ruleText);
    if (spec === null || deadline === null) return null;

    const ruleCode = attachedRuleCode(code);
    const existing = await ruleByCode(this.db, ruleCode);
    if (existing) {
      if (sameRule(spec, existing)) return null;
      r.error('repeat', `nhiệm vụ ${code} đã lặp lại theo quy tắc ${ruleCode} ("${existing.ruleText.slice(0, 60)}"); không đổi quy tắc qua tệp nhập được, hãy giữ quy tắc cũ hoặc để trống ô này`);
      return null;
    }
    const occurrenceOf = await ruleCodeOfTask(this.db, code);
    if (occurrenceOf !== undefined) {
      r.error('repeat', `nhiệm vụ ${code} là một kỳ của nhiệm vụ định kỳ ${occurrenceOf}, không đặt lặp lại riêng được`);
      return null;
    }
    const start = attachedRuleStart(deadline, this.now, this.config.zone);
    if (occurrences(spec, start, 1, calendarOf(this.config)).length === 0) {
      r.error('repeat', 'quy tắc lặp lại kết thúc trước khi có kỳ nào sau hạn của nhiệm vụ; hãy kiểm tra ngày kết thúc hoặc số lần');
      return null;
    }
    return { code, ruleText };
  }

  private parse(r: RowReader, text: string): RecurrenceRule | null {
    let v = this.parsed.get(text);
    if (v === undefined) {
      try {
        v = parseRule(text);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        v = e.message;
      }
      this.parsed.set(text, v);
    }
    if (typeof v !== 'string') return v;
    const cut = v.indexOf(FORMS_MARK);
    if (cut < 0 || this.formsShownAt === undefined) {
      if (cut >= 0) this.formsShownAt = r.line;
      r.error('repeat', v);
    } else {
      r.error('repeat', `${v.slice(0, cut)} Xem các dạng được chấp nhận ở dòng ${this.formsShownAt}.`);
    }
    return null;
  }

  /** Makes each task the first occurrence of its rule; call after the tasks are written, inside the import's transaction. */
  async attachAll(tx: Db, rows: RepeatRow[]): Promise<number> {
    for (const row of rows) await attachRule(tx, row.code, row.ruleText, this.now, this.config);
    return rows.length;
  }
}
