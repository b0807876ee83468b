CREATE TABLE `chat_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`external_id` text NOT NULL,
	`officer_id` integer NOT NULL,
	`display_name` text,
	`private_chat_id` text,
	`linked_at` integer NOT NULL,
	FOREIGN KEY (`officer_id`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_accounts_uq` ON `chat_accounts` (`channel`,`external_id`);--> statement-breakpoint
CREATE INDEX `chat_accounts_officer_idx` ON `chat_accounts` (`officer_id`);--> statement-breakpoint
CREATE TABLE `commitment_targets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`commitment_id` integer NOT NULL,
	`code` text NOT NULL,
	`indicator` text NOT NULL,
	`comparator` text NOT NULL,
	`target` real NOT NULL,
	`measure` text DEFAULT '' NOT NULL,
	`due_date` text,
	`computed` text,
	FOREIGN KEY (`commitment_id`) REFERENCES `commitments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `targets_commitment_code_uq` ON `commitment_targets` (`commitment_id`,`code`);--> statement-breakpoint
CREATE TABLE `commitments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unit_id` integer NOT NULL,
	`year` integer NOT NULL,
	`signed_at` integer,
	`doc_ref` text DEFAULT '' NOT NULL,
	`signers` text,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commitments_unit_year_uq` ON `commitments` (`unit_id`,`year`);--> statement-breakpoint
CREATE TABLE `extensions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` integer NOT NULL,
	`requested_by` integer,
	`requested_at` integer NOT NULL,
	`new_deadline` integer NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	`decision_note` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `extensions_task_idx` ON `extensions` (`task_id`);--> statement-breakpoint
CREATE INDEX `extensions_status_idx` ON `extensions` (`status`);--> statement-breakpoint
CREATE TABLE `group_bindings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`unit_id` integer,
	`leadership` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'ok' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_bindings_uq` ON `group_bindings` (`channel`,`chat_id`);--> statement-breakpoint
CREATE INDEX `group_bindings_unit_idx` ON `group_bindings` (`unit_id`);--> statement-breakpoint
CREATE TABLE `invites` (
	`code` text PRIMARY KEY NOT NULL,
	`officer_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by_account_id` integer,
	FOREIGN KEY (`officer_id`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `officers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`full_name` text NOT NULL,
	`unit_id` integer NOT NULL,
	`role` text NOT NULL,
	`title` text,
	`phone` text,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `officers_code_uq` ON `officers` (`code`);--> statement-breakpoint
CREATE INDEX `officers_unit_idx` ON `officers` (`unit_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`payload` text,
	`created_at` integer NOT NULL,
	`not_before` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key_uq` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_pending_idx` ON `outbox` (`status`,`not_before`);--> statement-breakpoint
CREATE TABLE `pending_prompts` (
	`channel` text NOT NULL,
	`external_id` text NOT NULL,
	`kind` text NOT NULL,
	`task_id` integer,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`channel`, `external_id`),
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `processed_updates` (
	`channel` text NOT NULL,
	`update_key` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`channel`, `update_key`)
);
--> statement-breakpoint
CREATE TABLE `reminder_log` (
	`key` text PRIMARY KEY NOT NULL,
	`task_id` integer,
	`kind` text NOT NULL,
	`due_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reminder_log_task_idx` ON `reminder_log` (`task_id`);--> statement-breakpoint
CREATE TABLE `target_values` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target_id` integer NOT NULL,
	`value` real NOT NULL,
	`measured_at` integer NOT NULL,
	`officer_id` integer,
	`source` text,
	FOREIGN KEY (`target_id`) REFERENCES `commitment_targets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`officer_id`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `target_values_target_idx` ON `target_values` (`target_id`,`measured_at`);--> statement-breakpoint
CREATE TABLE `task_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` integer NOT NULL,
	`at` integer NOT NULL,
	`officer_id` integer,
	`kind` text NOT NULL,
	`detail` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`officer_id`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `task_events_task_idx` ON `task_events` (`task_id`,`at`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`unit_id` integer NOT NULL,
	`assigned_by` text DEFAULT '' NOT NULL,
	`assigned_by_key` text DEFAULT '' NOT NULL,
	`source_doc` text DEFAULT '' NOT NULL,
	`assigned_at` integer NOT NULL,
	`deadline` integer NOT NULL,
	`effective_deadline` integer NOT NULL,
	`completed_at` integer,
	`completed_by` integer,
	`late_reason` text,
	`note` text,
	`rule_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`completed_by`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_code_uq` ON `tasks` (`code`);--> statement-breakpoint
CREATE INDEX `tasks_assigned_cover_idx` ON `tasks` (`assigned_at`,`unit_id`,`effective_deadline`,`completed_at`);--> statement-breakpoint
CREATE INDEX `tasks_unit_open_idx` ON `tasks` (`unit_id`,`effective_deadline`) WHERE completed_at IS NULL;--> statement-breakpoint
CREATE INDEX `tasks_open_deadline_idx` ON `tasks` (`effective_deadline`) WHERE completed_at IS NULL;--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` integer,
	`kind` text,
	`path` text DEFAULT '/' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_code_uq` ON `units` (`code`);--> statement-breakpoint
CREATE INDEX `units_parent_idx` ON `units` (`parent_id`);--> statement-breakpoint
CREATE INDEX `units_path_idx` ON `units` (`path`);