// /camket [năm]: the unit's signed commitment and its targets with the latest value.
import { DateTime } from 'luxon';
import type { Reply } from '../bot/types.ts';
import { commitmentOf, targetsWithLastValue, type TargetWithValue } from '../db/commitments.repo.ts';
import { formatDate } from '../domain/dates.ts';
import { viNumber } from '../domain/text.ts';
import { authorize, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';

const CMP_VI = { '>=': '≥', '<=': '≤', '=': '=' } as const;

function met(t: TargetWithValue): boolean {
  if (t.value === null) return false;
  return t.comparator === '>=' ? t.value >= t.target : t.comparator === '<=' ? t.value <= t.target : t.value === t.target;
}

function withMeasure(n: number, measure: string): string {
  if (!measure) return viNumber(n, 2);
  return measure === '%' ? `${viNumber(n, 2)}%` : `${viNumber(n, 2)} ${measure}`;
}

export function showCommitments(ctx: ChatCtx, actorOrNull: Actor | null, year?: number): Reply[] {
  const actor = authorize(actorOrNull, 'commitments');
  const { zone } = ctx.config;
  const y = year ?? DateTime.fromMillis(ctx.now, { zone }).year;
  const c = commitmentOf(ctx.db, actor.unitId, y);
  if (!c) return [{ text: `${actor.unitName} chưa có cam kết năm ${y} trong hệ thống. Phòng Nội vụ nhập cam kết bằng lệnh nhacviec import commitments.` }];
  const signed = [c.docRef, c.signedAt !== null ? `ký ngày ${formatDate(c.signedAt, zone)}` : ''].filter(Boolean).join(', ');
  const lines = [`Cam kết năm ${y} của ${actor.unitName}${signed ? ` (${signed})` : ''}:`];
  for (const t of targetsWithLastValue(ctx.db, c.id)) {
    const goal = `${CMP_VI[t.comparator]} ${withMeasure(t.target, t.measure)}`;
    const now =
      t.value === null
        ? 'chưa có số liệu'
        : `hiện đạt ${withMeasure(t.value, t.measure)}${t.measuredAt !== null ? ` (${formatDate(t.measuredAt, zone)})` : ''} — ${met(t) ? 'đạt ✅' : 'chưa đạt ⚠'}`;
    lines.push(`• ${t.code} ${t.indicator}: ${goal}; ${now}`);
  }
  return [{ text: lines.join('\n') }];
}
