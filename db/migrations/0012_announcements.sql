CREATE TABLE `announcements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`concept` text NOT NULL,
	`audience` text NOT NULL,
	`from` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`queued` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `announcements_key_unique` ON `announcements` (`key`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `announcement_id` integer REFERENCES announcements(id);--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_until` integer;--> statement-breakpoint
CREATE INDEX `outbox_announcement_status_idx` ON `outbox` (`announcement_id`,`status`);