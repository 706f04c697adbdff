ALTER TABLE `outbox` ADD `event` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `payload` text;--> statement-breakpoint
CREATE INDEX `outbox_kind_idx` ON `outbox` (`kind`,`id`);