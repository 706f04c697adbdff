CREATE TABLE `rollup_progress` (
	`id` integer PRIMARY KEY NOT NULL,
	`rolled_through` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rollups` (
	`concept` text NOT NULL,
	`variant` text NOT NULL,
	`day` text NOT NULL,
	`source` text NOT NULL,
	`served` text NOT NULL,
	`exposure` text NOT NULL,
	`visitors` integer NOT NULL,
	`signups` integer NOT NULL,
	PRIMARY KEY(`concept`, `variant`, `day`, `source`, `served`, `exposure`)
);
--> statement-breakpoint
CREATE INDEX `rollups_day_idx` ON `rollups` (`day`);--> statement-breakpoint
ALTER TABLE `signups` ADD `served` text DEFAULT 'split' NOT NULL;--> statement-breakpoint
ALTER TABLE `signups` ADD `exposure` text DEFAULT 'day' NOT NULL;--> statement-breakpoint
ALTER TABLE `views` ADD `served` text DEFAULT 'split' NOT NULL;--> statement-breakpoint
ALTER TABLE `views` ADD `exposure` text DEFAULT 'day' NOT NULL;