/**
 * What search engines read besides the pages: the sitemap (the home page and each published
 * concept's landing page; variant pages are canonical to it, thank-you pages are noindex)
 * and robots.txt (admin and API paths are no one's business but the founder's). Pure: the
 * pages at src/pages/sitemap.xml.ts and robots.txt.ts hand in absolute URLs built from `site`.
 */
import { escapeHtml } from "./html";

export const SITEMAP_PATH = "/sitemap.xml";

/** The paths kept from crawlers: the admin pages, and the API (confirmation and unsubscribe links among it). */
export const DISALLOWED_PATHS = ["/admin", "/api/"] as const;

export function sitemapXml(urls: readonly string[]): string {
  const entries = urls.map((url) => `<url><loc>${escapeHtml(url)}</loc></url>`).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries}
</urlset>
`;
}

export function robotsTxt(sitemapUrl: string): string {
  const disallowed = DISALLOWED_PATHS.map((path) => `Disallow: ${path}`).join("\n");
  return `User-agent: *\n${disallowed}\n\nSitemap: ${sitemapUrl}\n`;
}
