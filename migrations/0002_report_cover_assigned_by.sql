DROP INDEX `tasks_unit_cover_idx`;--> statement-breakpoint
CREATE INDEX `tasks_unit_cover_idx` ON `tasks` (`unit_id`,`assigned_at`,`effective_deadline`,`completed_at`,`assigned_by_key`);