CREATE TABLE `tier_clicks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`concept` text NOT NULL,
	`variant` text NOT NULL,
	`tier` text NOT NULL,
	`visitor_hash` text NOT NULL,
	`day` text NOT NULL,
	`served` text DEFAULT 'split' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tier_clicks_visitor_tier_unique` ON `tier_clicks` (`visitor_hash`,`concept`,`tier`);--> statement-breakpoint
CREATE INDEX `tier_clicks_concept_day_idx` ON `tier_clicks` (`concept`,`day`);--> statement-breakpoint
ALTER TABLE `signups` ADD `tier` text;--> statement-breakpoint
ALTER TABLE `signups` ADD `answer` text;--> statement-breakpoint
ALTER TABLE `signups` ADD `answered_at` integer;--> statement-breakpoint
ALTER TABLE `signups` ADD `answer_changes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `signups` ADD `interview_at` integer;--> statement-breakpoint
ALTER TABLE `signups` ADD `interview_when` text;--> statement-breakpoint
ALTER TABLE `signups` ADD `reserved_at` integer;