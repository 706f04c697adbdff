DROP INDEX `signups_concept_created_idx`;--> statement-breakpoint
CREATE INDEX `signups_ladder_idx` ON `signups` (`concept`,`created_at`,`exposure`,`throwaway`,`variant`,`confirmed_at`,`answered_at`,`interview_at`,`reserved_at`);--> statement-breakpoint
CREATE INDEX `signups_answers_idx` ON `signups` (`concept`,`created_at`,`exposure`,`throwaway`,`answered_at`,`answer`) WHERE "signups"."answer" is not null;--> statement-breakpoint
CREATE INDEX `signups_interview_idx` ON `signups` (`concept`,`interview_at`) WHERE "signups"."interview_at" is not null;--> statement-breakpoint
DROP INDEX `tier_clicks_concept_day_idx`;--> statement-breakpoint
ALTER TABLE `tier_clicks` ADD `counted` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `tier_clicks_counts_idx` ON `tier_clicks` (`concept`,`counted`,`visitor_hash`,`variant`,`served`,`day`,`tier`);--> statement-breakpoint
UPDATE `tier_clicks` SET `counted` = EXISTS (SELECT 1 FROM `views` v WHERE v.`visitor_hash` = `tier_clicks`.`visitor_hash` AND v.`variant` = `tier_clicks`.`variant` AND v.`served` = `tier_clicks`.`served`);--> statement-breakpoint
CREATE TRIGGER `tier_clicks_counted_on_click` AFTER INSERT ON `tier_clicks`
WHEN EXISTS (SELECT 1 FROM `views` v WHERE v.`visitor_hash` = new.`visitor_hash` AND v.`variant` = new.`variant` AND v.`served` = new.`served`)
BEGIN
  UPDATE `tier_clicks` SET `counted` = 1 WHERE `id` = new.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `tier_clicks_counted_on_view` AFTER INSERT ON `views`
BEGIN
  UPDATE `tier_clicks` SET `counted` = 1 WHERE `visitor_hash` = new.`visitor_hash` AND `variant` = new.`variant` AND `served` = new.`served` AND NOT `counted`;
END;--> statement-breakpoint
CREATE TRIGGER `tier_clicks_uncounted_on_view_delete` AFTER DELETE ON `views`
BEGIN
  UPDATE `tier_clicks` SET `counted` = 0 WHERE `visitor_hash` = old.`visitor_hash` AND `variant` = old.`variant` AND `served` = old.`served` AND `counted`;
END;
