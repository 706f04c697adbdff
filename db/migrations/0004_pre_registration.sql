CREATE TABLE `concept_tests` (
	`concept` text PRIMARY KEY NOT NULL,
	`started_on` text NOT NULL,
	`looked_through` text,
	`recorded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`concept` text NOT NULL,
	`variant` text,
	`compared_from` text NOT NULL,
	`reached_on` text NOT NULL,
	`status` text NOT NULL,
	`outcome` text,
	`basis` text,
	`visitors` integer NOT NULL,
	`signups` integer NOT NULL,
	`control_visitors` integer,
	`control_signups` integer,
	`figures` text NOT NULL,
	`reason` text NOT NULL,
	`decided_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `decisions_idea_unique` ON `decisions` (`concept`) WHERE "decisions"."variant" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `decisions_variant_unique` ON `decisions` (`concept`,`variant`,`compared_from`) WHERE "decisions"."variant" is not null;--> statement-breakpoint
ALTER TABLE `experiment_epochs` ADD `content` text;