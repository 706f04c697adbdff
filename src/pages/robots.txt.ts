/** /robots.txt, prerendered: admin and API paths disallowed, the sitemap's absolute URL. */
import type { APIRoute } from "astro";
import { robotsTxt, SITEMAP_PATH } from "../domain/discovery";
import { absoluteUrl } from "./_lib/site";

export const prerender = true;

export const GET: APIRoute = ({ site }) => new Response(robotsTxt(absoluteUrl(SITEMAP_PATH, site)));
