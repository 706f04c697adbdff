/** /sitemap.xml, prerendered: the home page and every published concept's landing page. */
import type { APIRoute } from "astro";
import { sitemapXml } from "../domain/discovery";
import { landingPath } from "../domain/paths";
import { getPublishedConcepts } from "./_lib/concepts";
import { absoluteUrl } from "./_lib/site";

export const prerender = true;

export const GET: APIRoute = async ({ site }) => {
  const paths = ["/", ...(await getPublishedConcepts()).map((concept) => landingPath(concept.slug))];
  return new Response(sitemapXml(paths.map((path) => absoluteUrl(path, site))));
};
