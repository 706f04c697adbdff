/** Absolute URLs for what other sites read (sitemap, robots.txt, link previews). */

/** `path` on the site the build is for (astro.config.mjs: SITE_URL, or the local server). */
export function absoluteUrl(path: string, site: URL | undefined): string {
  if (!site) throw new Error("astro.config.mjs sets `site`: absolute URLs need it");
  return new URL(path, site).href;
}
