CREATE TABLE `ladder_days` (
	`concept` text NOT NULL,
	`day` text NOT NULL,
	`variant` text NOT NULL,
	`exposed` integer NOT NULL,
	`signups` integer NOT NULL,
	`confirmed` integer NOT NULL,
	`answered` integer NOT NULL,
	`interview` integer NOT NULL,
	`reservation` integer NOT NULL,
	PRIMARY KEY(`concept`, `day`, `variant`, `exposed`)
);
--> statement-breakpoint
INSERT INTO `ladder_days` (`concept`, `day`, `variant`, `exposed`, `signups`, `confirmed`, `answered`, `interview`, `reservation`)
SELECT `concept`, strftime('%Y-%m-%d', `created_at` / 1000, 'unixepoch'), `variant`, `exposure` <> 'none', count(*), count(`confirmed_at`), count(`answered_at`), count(`interview_at`), count(`reserved_at`)
  FROM `signups` WHERE NOT `throwaway` GROUP BY 1, 2, 3, 4;--> statement-breakpoint
CREATE TRIGGER `ladder_days_on_signup` AFTER INSERT ON `signups`
WHEN NOT new.`throwaway`
BEGIN
  INSERT INTO `ladder_days` (`concept`, `day`, `variant`, `exposed`, `signups`, `confirmed`, `answered`, `interview`, `reservation`)
  VALUES (new.`concept`, strftime('%Y-%m-%d', new.`created_at` / 1000, 'unixepoch'), new.`variant`, new.`exposure` <> 'none', 1, new.`confirmed_at` IS NOT NULL, new.`answered_at` IS NOT NULL, new.`interview_at` IS NOT NULL, new.`reserved_at` IS NOT NULL)
  ON CONFLICT DO UPDATE SET `signups` = `signups` + 1, `confirmed` = `confirmed` + excluded.`confirmed`, `answered` = `answered` + excluded.`answered`, `interview` = `interview` + excluded.`interview`, `reservation` = `reservation` + excluded.`reservation`;
END;--> statement-breakpoint
CREATE TRIGGER `ladder_days_on_signup_update` AFTER UPDATE OF `concept`, `variant`, `created_at`, `exposure`, `throwaway`, `confirmed_at`, `answered_at`, `interview_at`, `reserved_at` ON `signups`
BEGIN
  UPDATE `ladder_days` SET `signups` = `signups` - 1, `confirmed` = `confirmed` - (old.`confirmed_at` IS NOT NULL), `answered` = `answered` - (old.`answered_at` IS NOT NULL), `interview` = `interview` - (old.`interview_at` IS NOT NULL), `reservation` = `reservation` - (old.`reserved_at` IS NOT NULL)
   WHERE NOT old.`throwaway` AND `concept` = old.`concept` AND `day` = strftime('%Y-%m-%d', old.`created_at` / 1000, 'unixepoch') AND `variant` = old.`variant` AND `exposed` = (old.`exposure` <> 'none');
  INSERT INTO `ladder_days` (`concept`, `day`, `variant`, `exposed`, `signups`, `confirmed`, `answered`, `interview`, `reservation`)
  SELECT new.`concept`, strftime('%Y-%m-%d', new.`created_at` / 1000, 'unixepoch'), new.`variant`, new.`exposure` <> 'none', 1, new.`confirmed_at` IS NOT NULL, new.`answered_at` IS NOT NULL, new.`interview_at` IS NOT NULL, new.`reserved_at` IS NOT NULL
   WHERE NOT new.`throwaway`
  ON CONFLICT DO UPDATE SET `signups` = `signups` + 1, `confirmed` = `confirmed` + excluded.`confirmed`, `answered` = `answered` + excluded.`answered`, `interview` = `interview` + excluded.`interview`, `reservation` = `reservation` + excluded.`reservation`;
END;--> statement-breakpoint
CREATE TRIGGER `ladder_days_on_signup_delete` AFTER DELETE ON `signups`
WHEN NOT old.`throwaway`
BEGIN
  UPDATE `ladder_days` SET `signups` = `signups` - 1, `confirmed` = `confirmed` - (old.`confirmed_at` IS NOT NULL), `answered` = `answered` - (old.`answered_at` IS NOT NULL), `interview` = `interview` - (old.`interview_at` IS NOT NULL), `reservation` = `reservation` - (old.`reserved_at` IS NOT NULL)
   WHERE `concept` = old.`concept` AND `day` = strftime('%Y-%m-%d', old.`created_at` / 1000, 'unixepoch') AND `variant` = old.`variant` AND `exposed` = (old.`exposure` <> 'none');
END;
