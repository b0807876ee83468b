// A database written by the first release (migration 0000 only), full of data,
// opened by this program: every migration since is applied and nothing is lost.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { eq, getTableName, is, Table } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/app/report.service.ts';
import { openDb, type Db } from '../../src/db/open.ts';
import { createOldestDb, journal } from './oldest-schema.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-upgrade-'));
const file = path.join(dir, 'first-release.db');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);

type Row = Record<string, unknown>;
let before: Map<string, { columns: string[]; rows: Row[] }>;
let db: Db;

/** The better-sqlite3 connection under the Db (this test reads the file as SQLite). */
function client(): Database.Database {
  if (db.native.engine !== 'sqlite') throw new Error('not SQLite');
  return db.native.sqlite;
}

/** Fills the 0000 schema the way the first release did, in plain SQL (no code of today involved). */
function fill(old: Database.Database): void {
  const run = (sql: string, ...params: unknown[]) => old.prepare(sql).run(...params);
  run("INSERT INTO units (id, code, name, parent_id, kind, path, active) VALUES (1, 'TINH', 'UBND tỉnh Hòa Bình', NULL, 'tinh', '/1/', 1)");
  run("INSERT INTO units (id, code, name, parent_id, kind, path, active) VALUES (2, 'SO-NV', 'Sở Nội vụ', 1, 'so', '/1/2/', 1)");
  run("INSERT INTO units (id, code, name, parent_id, kind, path, active) VALUES (3, 'XA-AN', 'UBND xã An Bình', 1, 'xa', '/1/3/', 1)");
  run("INSERT INTO units (id, code, name, parent_id, kind, path, active) VALUES (4, 'XA-CU', 'UBND xã Cũ (đã sáp nhập)', 1, 'xa', '/1/4/', 0)");
  run("INSERT INTO officers (id, code, full_name, unit_id, role, title, phone, active) VALUES (1, 'CT', 'Nguyễn Văn Thắng', 1, 'chair', 'Chủ tịch', '0912345678', 1)");
  run("INSERT INTO officers (id, code, full_name, unit_id, role, title, phone, active) VALUES (2, 'TP-NV', 'Trần Thị Hương', 2, 'head', 'Giám đốc Sở', NULL, 1)");
  run("INSERT INTO officers (id, code, full_name, unit_id, role, title, phone, active) VALUES (3, 'CB-AN', 'Lê Văn Đức', 3, 'officer', NULL, NULL, 1)");
  run("INSERT INTO officers (id, code, full_name, unit_id, role, title, phone, active) VALUES (4, 'CB-CU', 'Phạm Văn Cũ', 4, 'officer', NULL, NULL, 0)");
  const task = (id: number, code: string, unit: number, deadline: number, completedAt: number | null, extra: Partial<Record<'effective' | 'lateReason' | 'note', unknown>> = {}) =>
    run(
      `INSERT INTO tasks (id, code, title, unit_id, assigned_by, assigned_by_key, source_doc, assigned_at, deadline, effective_deadline,
         completed_at, completed_by, late_reason, note, rule_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'UBND tỉnh giao', 'ubnd tinh giao', 'Kế hoạch số 02/KH-UBND ngày 12/01/2026', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      id, code, `Nhiệm vụ ${code}: báo cáo “cải cách hành chính” — quý I`, unit, T0, deadline, extra.effective ?? deadline,
      completedAt, completedAt === null ? null : 3, extra.lateReason ?? null, extra.note ?? null, T0, completedAt ?? T0,
    );
  task(1, 'NV-01', 3, T0 + 10 * DAY, T0 + 5 * DAY, { note: 'Đã gửi văn bản số 15/BC-UBND' });
  task(2, 'NV-02', 3, T0 + 10 * DAY, T0 + 12 * DAY, { lateReason: 'Chờ số liệu của các thôn' });
  task(3, 'NV-03', 2, T0 + 10 * DAY, null);
  task(4, 'NV-04', 2, T0 + 400 * DAY, null);
  task(5, 'NV-05', 3, T0 + 10 * DAY, null, { effective: T0 + 500 * DAY });
  run("INSERT INTO extensions (id, task_id, requested_by, requested_at, new_deadline, reason, status, decided_by, decided_at, decision_note) VALUES (1, 5, 3, ?, ?, 'Mưa lũ', 'approved', 1, ?, 'Đồng ý')", T0 + DAY, T0 + 500 * DAY, T0 + 2 * DAY);
  run("INSERT INTO task_events (id, task_id, at, officer_id, kind, detail) VALUES (1, 1, ?, 3, 'completed', '{\"via\":\"telegram\"}')", T0 + 5 * DAY);
  run("INSERT INTO commitments (id, unit_id, year, signed_at, doc_ref, signers) VALUES (1, 3, 2026, ?, 'Bản cam kết số 01/CK-UBND', 'Nguyễn Văn Thắng; Lê Văn Đức')", T0);
  run("INSERT INTO commitment_targets (id, commitment_id, code, indicator, comparator, target, measure, due_date, computed) VALUES (1, 1, 'CT1', 'Tỷ lệ hồ sơ giải quyết đúng hạn', '>=', 98, '%', '2026-12-31', NULL)");
  run("INSERT INTO commitment_targets (id, commitment_id, code, indicator, comparator, target, measure, due_date, computed) VALUES (2, 1, 'CT2', 'Số nhiệm vụ quá hạn', '<=', 0, 'nhiệm vụ', NULL, 'overdue_count')");
  run("INSERT INTO target_values (id, target_id, value, measured_at, officer_id, source) VALUES (1, 1, 97.5, ?, 3, 'chat')", T0 + 30 * DAY);
  run("INSERT INTO chat_accounts (id, channel, external_id, officer_id, display_name, private_chat_id, linked_at) VALUES (1, 'telegram', '7001', 3, 'Đức', '7001', ?)", T0);
  run("INSERT INTO invites (code, officer_id, created_at, expires_at, used_at, used_by_account_id) VALUES ('ABCD-2345', 3, ?, ?, ?, 1)", T0, T0 + 7 * DAY, T0 + DAY);
  run("INSERT INTO group_bindings (id, channel, chat_id, unit_id, leadership, status, created_at) VALUES (1, 'zalo', 'g-an', 3, 0, 'ok', ?)", T0);
  run("INSERT INTO group_bindings (id, channel, chat_id, unit_id, leadership, status, created_at) VALUES (2, 'telegram', '-100200', NULL, 1, 'ok', ?)", T0);
  run("INSERT INTO processed_updates (channel, update_key, at) VALUES ('telegram', '991', ?)", T0);
  run("INSERT INTO pending_prompts (channel, external_id, kind, task_id, created_at, expires_at) VALUES ('telegram', '7001', 'late_reason', 2, ?, ?)", T0, T0 + DAY);
  run("INSERT INTO outbox (id, key, channel, chat_id, kind, text, payload, created_at, not_before, status, attempts, last_error, sent_at) VALUES (1, 'rem:1:d-3', 'zalo', 'g-an', 'reminder', 'Còn 3 ngày: NV-03', NULL, ?, ?, 'sent', 1, NULL, ?)", T0, T0, T0 + 1000);
  run("INSERT INTO reminder_log (key, task_id, kind, due_at, created_at) VALUES ('rem:1:d-3', 3, 'before', ?, ?)", T0, T0);
  run("INSERT INTO meta (key, value) VALUES ('demo', 'no')");
}

function snapshot(sqlite: Database.Database): Map<string, { columns: string[]; rows: Row[] }> {
  const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations'").all() as { name: string }[]).map((t) => t.name);
  const out = new Map<string, { columns: string[]; rows: Row[] }>();
  for (const t of tables) {
    const columns = (sqlite.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
    out.set(t, { columns, rows: sqlite.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all() as Row[] });
  }
  return out;
}

beforeAll(async () => {
  const old = createOldestDb(file);
  fill(old);
  before = snapshot(old);
  old.close();
  db = await openDb(file);
});
afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('upgrading a database of the first release', () => {
  it('started with only the first migration and data in every table', () => {
    expect([...before.keys()].length).toBeGreaterThanOrEqual(16);
    for (const [table, { rows }] of before) expect(rows.length, table).toBeGreaterThan(0);
  });

  it('is migrated to the newest schema: every migration this program knows is recorded, once', () => {
    const recorded = client().prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all() as { created_at: number }[];
    expect(recorded.map((r) => Number(r.created_at))).toEqual(journal().entries.map((e) => e.when));
    expect(client().pragma('integrity_check', { simple: true })).toBe('ok');
    expect(client().pragma('foreign_key_check')).toEqual([]);
  });

  it('keeps every row and every value of every old table', () => {
    const after = snapshot(client());
    for (const [table, old] of before) {
      const now = after.get(table);
      expect(now, `table ${table} still exists`).toBeDefined();
      expect(now!.columns, `columns of ${table}`).toEqual(expect.arrayContaining(old.columns));
      const keep = (r: Row) => Object.fromEntries(old.columns.map((c) => [c, r[c]]));
      expect(now!.rows.map(keep), `rows of ${table}`).toEqual(old.rows);
    }
  });

  it('every table of the current schema reads through drizzle (all its columns exist)', async () => {
    const read: string[] = [];
    for (const value of Object.values(db.t)) {
      if (!is(value, Table)) continue;
      await expect(db.orm.select().from(value as never), getTableName(value)).resolves.toBeDefined();
      read.push(getTableName(value));
    }
    expect(read).toEqual(expect.arrayContaining([...before.keys(), 'recurring_rules']));
  });

  it('the old data answers today\'s questions: the report counts the four buckets', async () => {
    const r = await buildReport(db, { asOf: T0 + 20 * DAY }, 'Asia/Ho_Chi_Minh');
    expect(r.totals).toEqual({ total: 5, doneOnTime: 1, doneLate: 1, overdue: 1, inProgress: 2, dueSoon: 0, awaitingConfirmation: 0, noDeadline: 0, suspended: 0 });
    const { tasks, officers } = db.t;
    const [t] = await db.orm.select().from(tasks).where(eq(tasks.code, 'NV-02'));
    expect(t).toMatchObject({ lateReason: 'Chờ số liệu của các thôn', completedBy: 3, title: 'Nhiệm vụ NV-02: báo cáo “cải cách hành chính” — quý I' });
    expect((await db.orm.select().from(officers).where(eq(officers.code, 'CB-CU')))[0]).toMatchObject({ fullName: 'Phạm Văn Cũ', active: false });
  });

  it('the new tables and indexes work on the old data: a recurring rule linked to an old task', async () => {
    const { recurringRules, tasks } = db.t;
    const [rule] = await db.orm
      .insert(recurringRules)
      .values({ code: 'DK-01', unitId: 3, title: 'Báo cáo tháng', ruleText: 'ngày 25 hằng tháng', ruleJson: '{"freq":"monthly","day":25}', startsOn: '2026-01-01', createdAt: T0 })
      .returning();
    expect(rule).toMatchObject({ shift: 'earlier', active: true, assignedBy: '' });
    await db.orm.update(tasks).set({ ruleId: rule!.id }).where(eq(tasks.code, 'NV-04'));
    expect((await db.orm.select().from(tasks).where(eq(tasks.ruleId, rule!.id))).map((t) => t.code)).toEqual(['NV-04']);
    const indexes = (client().prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((i) => i.name);
    expect(indexes).toEqual(expect.arrayContaining(['tasks_unit_cover_idx', 'recurring_rules_code_uq']));
    expect(indexes).not.toContain('tasks_assigned_cover_idx');
  });

  it('opening it again changes nothing', async () => {
    const n = (client().prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    const again = await openDb(file);
    if (again.native.engine !== 'sqlite') throw new Error('not SQLite');
    expect((again.native.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(n);
    await again.close();
  });
});
