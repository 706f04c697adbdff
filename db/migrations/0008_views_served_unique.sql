DROP INDEX `views_visitor_variant_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `views_visitor_variant_served_unique` ON `views` (`visitor_hash`,`variant`,`served`);