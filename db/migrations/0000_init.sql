CREATE TABLE `salts` (
	`day` text PRIMARY KEY NOT NULL,
	`salt` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`concept` text NOT NULL,
	`variant` text NOT NULL,
	`email` text NOT NULL,
	`email_key` text NOT NULL,
	`name` text,
	`lang` text NOT NULL,
	`visitor_hash` text,
	`created_at` integer NOT NULL,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`utm_term` text,
	`utm_content` text,
	`referrer_host` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signups_concept_email_unique` ON `signups` (`concept`,`email_key`);--> statement-breakpoint
CREATE INDEX `signups_concept_created_idx` ON `signups` (`concept`,`created_at`);--> statement-breakpoint
CREATE TABLE `views` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`concept` text NOT NULL,
	`variant` text NOT NULL,
	`visitor_hash` text NOT NULL,
	`day` text NOT NULL,
	`created_at` integer NOT NULL,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`utm_term` text,
	`utm_content` text,
	`referrer_host` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `views_visitor_variant_unique` ON `views` (`visitor_hash`,`variant`);--> statement-breakpoint
CREATE INDEX `views_concept_day_idx` ON `views` (`concept`,`day`);