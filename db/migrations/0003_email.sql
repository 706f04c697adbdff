CREATE TABLE `app_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `digest_log` (
	`week` text PRIMARY KEY NOT NULL,
	`outbox_id` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`to` text NOT NULL,
	`from` text NOT NULL,
	`subject` text,
	`html` text,
	`text` text,
	`headers` text,
	`signup_id` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`provider_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`signup_id`) REFERENCES `signups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_status_next_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `signups` ADD `consent_text` text;--> statement-breakpoint
ALTER TABLE `signups` ADD `consent_version` text;--> statement-breakpoint
ALTER TABLE `signups` ADD `page_path` text;--> statement-breakpoint
ALTER TABLE `signups` ADD `confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `signups` ADD `unsubscribed_at` integer;