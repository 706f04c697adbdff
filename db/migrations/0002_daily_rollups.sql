CREATE TABLE `daily_rollups` (
	`concept` text NOT NULL,
	`variant` text NOT NULL,
	`day` text NOT NULL,
	`source` text NOT NULL,
	`visitors` integer NOT NULL,
	`signups` integer NOT NULL,
	PRIMARY KEY(`concept`, `variant`, `day`, `source`)
);
--> statement-breakpoint
CREATE INDEX `daily_rollups_day_idx` ON `daily_rollups` (`day`);--> statement-breakpoint
CREATE TABLE `rollup_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`rolled_through` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `signups_created_idx` ON `signups` (`created_at`);--> statement-breakpoint
CREATE INDEX `views_day_idx` ON `views` (`day`);