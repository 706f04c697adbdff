/**
 * Throwaway (disposable) addresses: a domain on the list, or any subdomain of one
 * (`x@a.mailinator.com` is as throwaway as `x@mailinator.com`). Pure: the list comes in.
 */
export function throwawayMatcher(domains: Iterable<string>): (emailKey: string) => boolean {
  const listed = new Set(domains);
  /** Reads an emailKey: its domain is lower-case ASCII, as the list's are. */
  return (emailKey) => {
    let domain = emailKey.slice(emailKey.lastIndexOf("@") + 1);
    for (;;) {
      if (listed.has(domain)) return true;
      const dot = domain.indexOf(".");
      if (dot < 0) return false;
      domain = domain.slice(dot + 1);
    }
  };
}
