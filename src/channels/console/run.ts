// A terminal chat for trying the bot without a token: acts as one officer,
// prints the replies, and the notices to other chats the command queued in the outbox
// (a running `nhacviec start` on the same database sends them).
import readline from 'node:readline';
import { createBotCore } from '../../bot/core.ts';
import type { Notice, Reply } from '../../bot/types.ts';
import type { Config } from '../../config.ts';
import { upsertAccount } from '../../db/accounts.repo.ts';
import { officerByCode } from '../../db/officers.repo.ts';
import type { Db } from '../../db/open.ts';
import { NotFound } from '../../domain/errors.ts';
import { normCode } from '../../domain/text.ts';
import type { Logger } from '../../log.ts';

export interface ConsoleDeps {
  db: Db;
  config: Config;
  log: Logger;
  officerCode: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  now?: () => number;
}

const CHAT_ID = 'console';
const EXIT_WORDS = new Set(['/thoat', '/exit', '/quit', 'thoat', 'exit', 'quit']);

function show(r: Reply | Notice): string {
  const lines: string[] = [];
  if ('to' in r) lines.push(`→ [gửi tới ${r.to.channel} ${r.to.chatId}, qua hàng đợi gửi tin]`);
  lines.push(r.text);
  for (const row of r.buttons ?? []) lines.push(row.map((b) => `[${b.text}]`).join(' '));
  if (r.document) lines.push(`📎 Tệp đính kèm: ${r.document.filename} (${Math.ceil(r.document.content.length / 1024)} KB)`);
  if (r.photo) lines.push(`🖼 Ảnh: ${r.photo.filename}`);
  return lines.join('\n');
}

export async function runConsole(deps: ConsoleDeps): Promise<void> {
  const { db, config, log } = deps;
  const input = deps.input ?? process.stdin;
  const output = deps.output ?? process.stdout;
  const now = deps.now ?? (() => Date.now());
  const officer = await officerByCode(db, normCode(deps.officerCode));
  if (!officer) throw new NotFound(`Không có cán bộ mã ${normCode(deps.officerCode)}. Kiểm tra lại mã (ví dụ: --as CT-TINH).`);
  const userId = `console-${officer.code}`;
  await db.tx((tx) => upsertAccount(tx, { channel: 'console', externalId: userId, officerId: officer.id, displayName: officer.fullName, privateChatId: CHAT_ID, now: now() }));
  let queued: Notice[] = [];
  const core = createBotCore({ db, config, log, onEnqueued: (notices) => queued.push(...notices) });
  output.write(
    `Nhắc việc — trò chuyện thử với tư cách ${officer.fullName} (${officer.title ?? officer.role}, ${officer.unitName}).\n` +
      'Gõ /trogiup để xem các lệnh; /thoat hoặc Ctrl+D để thoát.\n',
  );
  const rl = readline.createInterface({ input, terminal: false });
  for await (const line of rl) {
    const text = line.trim();
    if (text === '') continue;
    if (EXIT_WORDS.has(text.toLowerCase())) break;
    const replies = await core.handle({ channel: 'console', chatId: CHAT_ID, chatType: 'private', userId, displayName: officer.fullName, text }, now());
    for (const r of [...replies, ...queued]) output.write(`${show(r)}\n\n`);
    queued = [];
  }
  rl.close();
}
