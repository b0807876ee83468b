// `/hangdoi` (admins): the outbox's health — how many messages wait, went out, failed —
// and the failed ones with their reasons (the web form of `nhacviec outbox`).
import { html } from 'hono/html';
import { countByStatus, failedMessages } from '../../db/outbox.repo.ts';
import { formatDateTime } from '../../domain/dates.ts';
import { renderPage, table } from '../layout.ts';
import { assertAdmin } from '../permissions.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebDeps } from '../types.ts';

export const OUTBOX_STATES: { status: string; label: string }[] = [
  { status: 'pending', label: 'Đang chờ gửi' },
  { status: 'sent', label: 'Đã gửi' },
  { status: 'failed', label: 'Gửi thất bại' },
];
const CHANNEL_VI: Record<string, string> = { telegram: 'Telegram', zalo: 'Zalo', console: 'Thử trên máy' };
/** The failed messages shown, newest first. */
export const FAILED_SHOWN = 50;

export function registerOutboxRoutes(app: WebApp, deps: WebDeps): void {
  app.get('/hangdoi', requireViewer, async (c) => {
    assertAdmin(viewerOf(c));
    const counts = new Map((await countByStatus(deps.db)).map((r) => [r.status, r.n]));
    const failed = await failedMessages(deps.db, FAILED_SHOWN);
    const zone = deps.config.zone;
    return renderPage(c, {
      title: 'Hàng đợi tin nhắn',
      body: html`<h2>Số tin theo trạng thái</h2>
${table(
  [{ label: 'Trạng thái' }, { label: 'Số tin', num: true }],
  OUTBOX_STATES.map((s) => [s.label, counts.get(s.status) ?? 0]),
)}
<h2>Tin gửi thất bại${failed.length === FAILED_SHOWN ? html` (${FAILED_SHOWN} tin gần nhất)` : ''}</h2>
${table(
  [{ label: 'Số', num: true }, { label: 'Tạo lúc' }, { label: 'Kênh' }, { label: 'Cuộc trò chuyện' }, { label: 'Loại' }, { label: 'Số lần thử', num: true }, { label: 'Lý do' }],
  failed.map((f) => [f.id, formatDateTime(f.createdAt, zone), CHANNEL_VI[f.channel] ?? f.channel, f.chatId, f.kind, f.attempts, f.lastError ?? 'Không rõ lý do']),
  'Không có tin nào gửi thất bại.',
)}`,
    });
  });
}
