CREATE TABLE `recurring_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`unit_id` integer NOT NULL,
	`title` text NOT NULL,
	`assigned_by` text DEFAULT '' NOT NULL,
	`source_doc` text DEFAULT '' NOT NULL,
	`rule_text` text NOT NULL,
	`rule_json` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text,
	`max_count` integer,
	`shift` text DEFAULT 'earlier' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`stopped_at` integer,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recurring_rules_code_uq` ON `recurring_rules` (`code`);--> statement-breakpoint
CREATE INDEX `recurring_rules_unit_idx` ON `recurring_rules` (`unit_id`);