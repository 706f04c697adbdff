ALTER TABLE `rollups` ADD `throwaway` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `signups` ADD `throwaway` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Written by hand from here on: every existing address gets the new de-duplication key
-- (case folded whole, NFKC, ASCII domain) and its throwaway flag, through the functions
-- db/migrate.ts registers. Addresses that now share a key on a concept are one person:
-- one row is kept (the confirmed and still subscribed one first, then a confirmed one,
-- then the earliest signup), the others go with their queued emails (the outbox cascade);
-- an opt-out made on a twin after the kept row's opt-in is carried over to it.
CREATE TABLE `signal_rekey` AS
  SELECT `id`, `concept`, `key`, `opted_in`,
         row_number() OVER (
           PARTITION BY `concept`, `key`
           ORDER BY `confirmed_at` IS NULL, `unsubscribed_at` IS NOT NULL, `opted_in`, `id`
         ) AS `rank`
    FROM (SELECT `id`, `concept`, racine_email_key(`email`) AS `key`, `confirmed_at`, `unsubscribed_at`,
                 coalesce(`confirmed_at`, `created_at`) AS `opted_in`
            FROM `signups`);--> statement-breakpoint
CREATE UNIQUE INDEX `signal_rekey_id` ON `signal_rekey` (`id`);--> statement-breakpoint
CREATE INDEX `signal_rekey_key` ON `signal_rekey` (`concept`, `key`);--> statement-breakpoint
UPDATE `signups` SET `unsubscribed_at` = (
    SELECT max(`twin_row`.`unsubscribed_at`)
      FROM `signal_rekey` AS `kept`
      JOIN `signal_rekey` AS `twin` ON `twin`.`concept` = `kept`.`concept` AND `twin`.`key` = `kept`.`key`
      JOIN `signups` AS `twin_row` ON `twin_row`.`id` = `twin`.`id`
     WHERE `kept`.`id` = `signups`.`id` AND `twin_row`.`unsubscribed_at` > `kept`.`opted_in`)
  -- (null, unchanged, when no twin opted out later)
  WHERE `unsubscribed_at` IS NULL AND `id` IN (SELECT `id` FROM `signal_rekey` WHERE `rank` = 1);--> statement-breakpoint
DELETE FROM `signups` WHERE `id` IN (SELECT `id` FROM `signal_rekey` WHERE `rank` > 1);--> statement-breakpoint
-- Through a unique placeholder first: the unique index is checked row by row, and a new key
-- may still be another row's old one.
UPDATE `signups` SET `email_key` = '#' || `id`;--> statement-breakpoint
UPDATE `signups` SET (`email_key`, `throwaway`) =
  (SELECT `key`, racine_throwaway(`key`) FROM `signal_rekey` WHERE `signal_rekey`.`id` = `signups`.`id`);--> statement-breakpoint
DROP TABLE `signal_rekey`;--> statement-breakpoint
-- The rollups counted every signup as real: the next refresh rebuilds them, throwaway ones apart.
DELETE FROM `rollups`;--> statement-breakpoint
DELETE FROM `rollup_progress`;
