/** Absolute share links (/share/<token>) at the site's public URL, and reading their tokens back. */
import { createShareToken, readShareToken, type ShareClaims, type ShareLink } from "../../domain/share-link";

export interface ShareLinks {
  url: (link: ShareLink) => string;
  /** The claims of a genuine token; whether its link still opens is the row's to say (shareAccess). */
  read: (token: string) => ShareClaims | undefined;
}

export function createShareLinks(key: string, baseUrl: () => string): ShareLinks {
  return {
    url: (link) => {
      const token = createShareToken(key, {
        linkId: link.id,
        concept: link.concept,
        expiresAt: link.expiresAt.getTime(),
      });
      return `${baseUrl().replace(/\/$/, "")}/share/${token}`;
    },
    read: (token) => readShareToken(key, token),
  };
}
