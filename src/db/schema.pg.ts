// The database schema. Instants are integers: milliseconds since the epoch, UTC.
// Codes (units, officers, tasks, targets) are stored upper-cased so that they
// match case-insensitively through a plain unique index.
import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const units = pgTable(
  'units',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => units.id),
    kind: text('kind'),
    /** Materialised path of ids, "/1/5/23/", so a subtree is one LIKE prefix. */
    path: text('path').notNull().default('/'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('units_code_uq').on(t.code), index('units_parent_idx').on(t.parentId), index('units_path_idx').on(t.path)],
);

export const ROLES = ['officer', 'head', 'chair', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const officers = pgTable(
  'officers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    fullName: text('full_name').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    role: text('role', { enum: ROLES }).notNull(),
    title: text('title'),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('officers_code_uq').on(t.code), index('officers_unit_idx').on(t.unitId)],
);

export const tasks = pgTable(
  'tasks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    assignedBy: text('assigned_by').notNull().default(''),
    /** assigned_by folded (lower case, no diacritics) for the --assigned-by filter. */
    assignedByKey: text('assigned_by_key').notNull().default(''),
    sourceDoc: text('source_doc').notNull().default(''),
    assignedAt: bigint('assigned_at', { mode: 'number' }).notNull(),
    /** The original deadline; it stays on record after an extension. Null: no deadline (không thời hạn). */
    deadline: bigint('deadline', { mode: 'number' }),
    /** The latest approved extension, else the original deadline (kept in step by the app layer). */
    effectiveDeadline: bigint('effective_deadline', { mode: 'number' }),
    completedAt: bigint('completed_at', { mode: 'number' }),
    completedBy: integer('completed_by').references(() => officers.id),
    lateReason: text('late_reason'),
    note: text('note'),
    /** Set when the task is an occurrence of a recurring rule. */
    ruleId: integer('rule_id'),
    /** The assigning level confirms a completion report before the task counts as done. */
    needsConfirmation: boolean('needs_confirmation').notNull().default(false),
    /** A completion report awaiting confirmation: its instant (the completion instant once confirmed), who, the note. */
    reportedAt: bigint('reported_at', { mode: 'number' }),
    reportedBy: integer('reported_by').references(() => officers.id),
    reportNote: text('report_note'),
    /** The officer of the lead unit the task was handed to (phân công). */
    assigneeId: integer('assignee_id').references(() => officers.id),
    /** Suspended (tạm dừng): no reminders, left out of the counts. */
    suspendedAt: bigint('suspended_at', { mode: 'number' }),
    suspendReason: text('suspend_reason'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('tasks_code_uq').on(t.code),
    // Covering index for the report: one seek per unit (unit_id, assigned_at range) reads the
    // tasks already grouped by unit, so counting a province needs neither the table nor a sort;
    // assigned_by_key is carried so that --assigned-by filters without reading the table either,
    // reported_at and suspended_at so that awaiting-confirmation and suspended tasks count the same way.
    index('tasks_unit_cover_idx').on(
      t.unitId,
      t.assignedAt,
      t.effectiveDeadline,
      t.completedAt,
      t.assignedByKey,
      t.reportedAt,
      t.suspendedAt,
    ),
    index('tasks_unit_open_idx').on(t.unitId, t.effectiveDeadline).where(sql`completed_at IS NULL`),
    index('tasks_open_deadline_idx').on(t.effectiveDeadline).where(sql`completed_at IS NULL`),
    // A recurring rule's occurrences, by code: the tick looks up each active rule's latest.
    index('tasks_rule_idx').on(t.ruleId, t.code),
    // Completion reports awaiting confirmation: few, read by /tinhhinh, the summary and the tick's nudges.
    index('tasks_awaiting_idx').on(t.reportedAt).where(sql`reported_at IS NOT NULL AND completed_at IS NULL`),
  ],
);

export const EXTENSION_STATUSES = ['pending', 'approved', 'rejected'] as const;

export const extensions = pgTable(
  'extensions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    requestedBy: integer('requested_by').references(() => officers.id),
    requestedAt: bigint('requested_at', { mode: 'number' }).notNull(),
    newDeadline: bigint('new_deadline', { mode: 'number' }).notNull(),
    reason: text('reason').notNull().default(''),
    status: text('status', { enum: EXTENSION_STATUSES }).notNull().default('pending'),
    decidedBy: integer('decided_by').references(() => officers.id),
    decidedAt: bigint('decided_at', { mode: 'number' }),
    decisionNote: text('decision_note'),
  },
  (t) => [index('extensions_task_idx').on(t.taskId), index('extensions_status_idx').on(t.status)],
);

/** What happened to a task, in order: shown by `/viec <mã>`. */
export const taskEvents = pgTable(
  'task_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    at: bigint('at', { mode: 'number' }).notNull(),
    officerId: integer('officer_id').references(() => officers.id),
    kind: text('kind').notNull(),
    detail: text('detail'),
  },
  (t) => [index('task_events_task_idx').on(t.taskId, t.at)],
);

export const commitments = pgTable(
  'commitments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    signedAt: bigint('signed_at', { mode: 'number' }),
    docRef: text('doc_ref').notNull().default(''),
    signers: text('signers'),
  },
  (t) => [uniqueIndex('commitments_unit_year_uq').on(t.unitId, t.year)],
);

export const COMPARATORS = ['>=', '<=', '='] as const;
export type Comparator = (typeof COMPARATORS)[number];

export const commitmentTargets = pgTable(
  'commitment_targets',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    commitmentId: integer('commitment_id')
      .notNull()
      .references(() => commitments.id),
    code: text('code').notNull(),
    indicator: text('indicator').notNull(),
    comparator: text('comparator', { enum: COMPARATORS }).notNull(),
    target: doublePrecision('target').notNull(),
    measure: text('measure').notNull().default(''),
    /** Local date yyyy-mm-dd; null means 31/12 of the commitment's year. */
    dueDate: text('due_date'),
    /** Name of a formula over the task data (on_time_rate, overdue_count), or null for reported targets. */
    computed: text('computed'),
  },
  (t) => [uniqueIndex('targets_commitment_code_uq').on(t.commitmentId, t.code)],
);

export const targetValues = pgTable(
  'target_values',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    targetId: integer('target_id')
      .notNull()
      .references(() => commitmentTargets.id),
    value: doublePrecision('value').notNull(),
    measuredAt: bigint('measured_at', { mode: 'number' }).notNull(),
    officerId: integer('officer_id').references(() => officers.id),
    source: text('source'),
  },
  (t) => [index('target_values_target_idx').on(t.targetId, t.measuredAt)],
);

export const CHANNELS = ['telegram', 'zalo', 'console'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A chat account (Telegram user id, Zalo user id) linked to an officer by `/dangky`. */
export const chatAccounts = pgTable(
  'chat_accounts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    externalId: text('external_id').notNull(),
    officerId: integer('officer_id')
      .notNull()
      .references(() => officers.id),
    displayName: text('display_name'),
    /** Private chat id, for direct messages when a unit has no group. */
    privateChatId: text('private_chat_id'),
    linkedAt: bigint('linked_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('chat_accounts_uq').on(t.channel, t.externalId), index('chat_accounts_officer_idx').on(t.officerId)],
);

export const invites = pgTable('invites', {
  code: text('code').primaryKey(),
  officerId: integer('officer_id')
    .notNull()
    .references(() => officers.id),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  usedAt: bigint('used_at', { mode: 'number' }),
  usedByAccountId: integer('used_by_account_id'),
});

export const groupBindings = pgTable(
  'group_bindings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    chatId: text('chat_id').notNull(),
    unitId: integer('unit_id').references(() => units.id),
    leadership: boolean('leadership').notNull().default(false),
    /** 'ok', or 'broken' once the bot was removed or blocked (403). */
    status: text('status').notNull().default('ok'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('group_bindings_uq').on(t.channel, t.chatId), index('group_bindings_unit_idx').on(t.unitId)],
);

/** Updates already handled, so a repeated update is handled once. */
export const processedUpdates = pgTable(
  'processed_updates',
  {
    channel: text('channel').notNull(),
    updateKey: text('update_key').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.updateKey] })],
);

/** A question the bot asked and is waiting for (e.g. the reason a task was late). */
export const pendingPrompts = pgTable(
  'pending_prompts',
  {
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    kind: text('kind').notNull(),
    taskId: integer('task_id').references(() => tasks.id),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.externalId] })],
);

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;

/** Every scheduled message, under a unique key: nothing sent twice, nothing lost. */
export const outbox = pgTable(
  'outbox',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    key: text('key').notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    chatId: text('chat_id').notNull(),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    /** Optional JSON: buttons, a picture, the task ids a message is about. */
    payload: text('payload'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    notBefore: bigint('not_before', { mode: 'number' }).notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: bigint('sent_at', { mode: 'number' }),
    /** The drain that took this message to send (see leases), and until when its claim holds. */
    claimedBy: text('claimed_by'),
    claimedUntil: bigint('claimed_until', { mode: 'number' }),
  },
  (t) => [uniqueIndex('outbox_key_uq').on(t.key), index('outbox_pending_idx').on(t.status, t.notBefore)],
);

/** Plan keys of reminders already written to the outbox: (task, kind, due instant). */
export const reminderLog = pgTable(
  'reminder_log',
  {
    key: text('key').primaryKey(),
    taskId: integer('task_id'),
    kind: text('kind').notNull(),
    dueAt: bigint('due_at', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('reminder_log_task_idx').on(t.taskId)],
);

/**
 * Work that one process at a time may do for the whole bot (draining a channel's
 * outbox, long polling, the cron tick): held until expires_at, renewed while alive,
 * taken over by another process once it has expired.
 */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});

/** Small key/value state: last tick instant, last weekly summary, … */
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * A recurring task (chế độ báo cáo định kỳ): the rule as typed and parsed. Its
 * occurrences are ordinary tasks with rule_id set and code `<code>-<periodKey>`.
 */
export const recurringRules = pgTable(
  'recurring_rules',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    title: text('title').notNull(),
    assignedBy: text('assigned_by').notNull().default(''),
    sourceDoc: text('source_doc').notNull().default(''),
    ruleText: text('rule_text').notNull(),
    /** The parsed rule (RecurrenceRule in src/domain/recurrence.ts) as JSON. */
    ruleJson: text('rule_json').notNull(),
    /** Local date yyyy-mm-dd: no occurrence has its deadline before it. */
    startsOn: text('starts_on').notNull(),
    /** Local date yyyy-mm-dd: no occurrence has its deadline after it. */
    endsOn: text('ends_on'),
    maxCount: integer('max_count'),
    /** Where a deadline that falls on a day off moves: 'earlier' or 'later'. */
    shift: text('shift', { enum: ['earlier', 'later'] }).notNull().default('earlier'),
    active: boolean('active').notNull().default(true),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    stoppedAt: bigint('stopped_at', { mode: 'number' }),
  },
  (t) => [uniqueIndex('recurring_rules_code_uq').on(t.code), index('recurring_rules_unit_idx').on(t.unitId)],
);

/** Co-ordinating units (đơn vị phối hợp) of a task; the task's unit_id is the lead unit (chủ trì). */
export const taskCooperators = pgTable(
  'task_cooperators',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.unitId] }), index('task_cooperators_unit_idx').on(t.unitId)],
);

/** Evidence (minh chứng) of a task: a file stored outside the database, named by its content hash. */
export const evidence = pgTable(
  'evidence',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    /** Hex SHA-256 of the content: the stored file's name (with `ext`). */
    sha256: text('sha256').notNull(),
    ext: text('ext').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    originalName: text('original_name'),
    /** 'photo' or 'document'. */
    kind: text('kind').notNull(),
    officerId: integer('officer_id').references(() => officers.id),
    channel: text('channel').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('evidence_task_idx').on(t.taskId, t.at)],
);

/** One-time sign-in links for the web pages: only the token's SHA-256 is kept. */
export const webLinks = pgTable('web_links', {
  tokenHash: text('token_hash').primaryKey(),
  officerId: integer('officer_id')
    .notNull()
    .references(() => officers.id),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  usedAt: bigint('used_at', { mode: 'number' }),
});

/** Web sessions: the cookie's SHA-256, the officer, the CSRF token; they end 12 hours after the last request. */
export const webSessions = pgTable(
  'web_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    officerId: integer('officer_id')
      .notNull()
      .references(() => officers.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    lastSeenAt: bigint('last_seen_at', { mode: 'number' }).notNull(),
    endedAt: bigint('ended_at', { mode: 'number' }),
  },
  (t) => [index('web_sessions_officer_idx').on(t.officerId)],
);

/** Pictures served at an unguessable, expiring address (the weekly chart for Zalo's sendPhoto). */
export const sharedImages = pgTable(
  'shared_images',
  {
    token: text('token').primaryKey(),
    contentType: text('content_type').notNull(),
    /** The bytes, base64: one text column reads the same on both engines. */
    bodyBase64: text('body_base64').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('shared_images_expires_idx').on(t.expiresAt)],
);
