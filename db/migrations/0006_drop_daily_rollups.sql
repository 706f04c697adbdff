DROP TABLE `daily_rollups`;--> statement-breakpoint
DROP TABLE `rollup_state`;