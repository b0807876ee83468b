PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`unit_id` integer NOT NULL,
	`assigned_by` text DEFAULT '' NOT NULL,
	`assigned_by_key` text DEFAULT '' NOT NULL,
	`source_doc` text DEFAULT '' NOT NULL,
	`assigned_at` integer NOT NULL,
	`deadline` integer,
	`effective_deadline` integer,
	`completed_at` integer,
	`completed_by` integer,
	`late_reason` text,
	`note` text,
	`rule_id` integer,
	`needs_confirmation` integer DEFAULT false NOT NULL,
	`reported_at` integer,
	`reported_by` integer,
	`report_note` text,
	`assignee_id` integer,
	`suspended_at` integer,
	`suspend_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`completed_by`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reported_by`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_tasks`("id", "code", "title", "unit_id", "assigned_by", "assigned_by_key", "source_doc", "assigned_at", "deadline", "effective_deadline", "completed_at", "completed_by", "late_reason", "note", "rule_id", "needs_confirmation", "reported_at", "reported_by", "report_note", "assignee_id", "suspended_at", "suspend_reason", "created_at", "updated_at") SELECT "id", "code", "title", "unit_id", "assigned_by", "assigned_by_key", "source_doc", "assigned_at", "deadline", "effective_deadline", "completed_at", "completed_by", "late_reason", "note", "rule_id", "needs_confirmation", "reported_at", "reported_by", "report_note", "assignee_id", "suspended_at", "suspend_reason", "created_at", "updated_at" FROM `tasks`;--> statement-breakpoint
DROP TABLE `tasks`;--> statement-breakpoint
ALTER TABLE `__new_tasks` RENAME TO `tasks`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_code_uq` ON `tasks` (`code`);--> statement-breakpoint
CREATE INDEX `tasks_unit_cover_idx` ON `tasks` (`unit_id`,`assigned_at`,`effective_deadline`,`completed_at`,`assigned_by_key`,`reported_at`,`suspended_at`);--> statement-breakpoint
CREATE INDEX `tasks_unit_open_idx` ON `tasks` (`unit_id`,`effective_deadline`) WHERE completed_at IS NULL;--> statement-breakpoint
CREATE INDEX `tasks_open_deadline_idx` ON `tasks` (`effective_deadline`) WHERE completed_at IS NULL;--> statement-breakpoint
CREATE INDEX `tasks_rule_idx` ON `tasks` (`rule_id`,`code`);