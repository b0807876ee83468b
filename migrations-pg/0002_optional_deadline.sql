DROP INDEX "tasks_unit_cover_idx";--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "deadline" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "effective_deadline" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "tasks_unit_cover_idx" ON "tasks" USING btree ("unit_id","assigned_at","effective_deadline","completed_at","assigned_by_key","reported_at","suspended_at");