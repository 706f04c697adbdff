/**
 * The list of throwaway domains: disposable-email-domains-js, the npm packaging of the
 * community-maintained disposable-email-domains list (about 9,000 domains, CC0), pinned in
 * package.json; a new version of the list is an `npm install` away. Built once (a Set:
 * one lookup per label of the domain).
 */
import { disposableEmailBlocklist } from "disposable-email-domains-js";
import { throwawayMatcher } from "../../domain/throwaway";

/** Whether an emailKey's domain (or a parent of it) is on the list. */
export const isThrowawayAddress = throwawayMatcher(disposableEmailBlocklist());
