CREATE TABLE `evidence` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` integer NOT NULL,
	`sha256` text NOT NULL,
	`ext` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`original_name` text,
	`kind` text NOT NULL,
	`officer_id` integer,
	`channel` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`officer_id`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evidence_task_idx` ON `evidence` (`task_id`,`at`);--> statement-breakpoint
CREATE TABLE `shared_images` (
	`token` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`body_base64` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shared_images_expires_idx` ON `shared_images` (`expires_at`);--> statement-breakpoint
CREATE TABLE `task_cooperators` (
	`task_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	PRIMARY KEY(`task_id`, `unit_id`),
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `task_cooperators_unit_idx` ON `task_cooperators` (`unit_id`);--> statement-breakpoint
CREATE TABLE `web_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`officer_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`officer_id`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `web_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`officer_id` integer NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`officer_id`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `web_sessions_officer_idx` ON `web_sessions` (`officer_id`);--> statement-breakpoint
ALTER TABLE `tasks` ADD `needs_confirmation` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tasks` ADD `reported_at` integer;--> statement-breakpoint
ALTER TABLE `tasks` ADD `reported_by` integer REFERENCES officers(id);--> statement-breakpoint
ALTER TABLE `tasks` ADD `report_note` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `assignee_id` integer REFERENCES officers(id);--> statement-breakpoint
ALTER TABLE `tasks` ADD `suspended_at` integer;--> statement-breakpoint
ALTER TABLE `tasks` ADD `suspend_reason` text;