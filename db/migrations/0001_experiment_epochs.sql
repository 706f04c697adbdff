CREATE TABLE `experiment_epochs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`concept` text NOT NULL,
	`weights` text NOT NULL,
	`started_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `experiment_epochs_concept_started_idx` ON `experiment_epochs` (`concept`,`started_at`);