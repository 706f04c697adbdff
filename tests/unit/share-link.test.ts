import { describe, expect, test } from "vitest";
import { createEmailToken } from "../../src/domain/email-token";
import {
  CreateShareLinkForm,
  composeShareLinkList,
  createShareToken,
  RevokeShareLinkForm,
  readShareToken,
  type ShareLink,
  shareAccess,
  sharedReport,
} from "../../src/domain/share-link";

const key = "s".repeat(43);
const now = new Date("2026-11-25T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const link: ShareLink = {
  id: 7,
  concept: "split",
  createdAt: now,
  expiresAt: new Date(now.getTime() + 7 * DAY),
  revokedAt: null,
};
const claims = { linkId: 7, concept: "split", expiresAt: link.expiresAt.getTime() };
const token = createShareToken(key, claims);
// The row is passed explicitly: `undefined` is a link the database does not have.
const open = (value: string, row: ShareLink | undefined, at = now) => shareAccess(readShareToken(key, value), row, at);
const payload = (json: string) => `${Buffer.from(json).toString("base64url")}.${token.split(".")[1]}`;

describe("share tokens", () => {
  test("a token reads back as the link, concept and expiry it was signed for", () => {
    expect(readShareToken(key, token)).toEqual(claims);
    expect(token).toMatch(/^[\w-]+\.[\w-]{43}$/);
  });

  test("a genuine link opens its concept's report until its expiry, and from its expiry on says expired", () => {
    expect(open(token, link)).toEqual({
      status: "open",
      concept: "split",
      expiresAt: link.expiresAt,
      expires: "2026-12-02 10:00 UTC",
    });
    expect(open(token, link, new Date(link.expiresAt.getTime() - 1)).status).toBe("open");
    expect(open(token, link, link.expiresAt)).toEqual({ status: "expired" });
  });

  test.each([
    ["another concept in the payload", payload(`["share",7,"plain",${claims.expiresAt}]`)],
    ["a later expiry in the payload", payload(`["share",7,"split",${claims.expiresAt + 30 * DAY}]`)],
    ["another link in the payload", payload(`["share",8,"split",${claims.expiresAt}]`)],
    ["a changed signature", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`],
    ["a truncated token", token.slice(0, -5)],
    ["the payload alone", token.split(".")[0] ?? ""],
    ["signed with another key", createShareToken("another key", claims)],
    [
      "an email token signed with the same key",
      createEmailToken(key, { purpose: "confirm", signupId: 7, expiresAt: claims.expiresAt }),
    ],
    ["bad base64", "!!!.???"],
    ["empty", ""],
    ["huge", `${"A".repeat(100_000)}.${"B".repeat(43)}`],
  ])("%s is not a token", (_name, value) => {
    expect(readShareToken(key, value)).toBeUndefined();
    expect(open(value, link)).toEqual({ status: "not-found" });
  });

  test("a genuine token whose row is another concept's, revoked or gone does not open (and does not say expired)", () => {
    expect(open(token, { ...link, concept: "plain" })).toEqual({ status: "not-found" });
    expect(open(token, { ...link, id: 8 })).toEqual({ status: "not-found" });
    expect(open(token, { ...link, revokedAt: now })).toEqual({ status: "not-found" });
    expect(open(token, { ...link, revokedAt: now }, new Date(link.expiresAt.getTime() + DAY))).toEqual({
      status: "not-found",
    });
    expect(open(token, undefined)).toEqual({ status: "not-found" });
  });

  test("a token for one concept signed by the server opens only that concept: another concept's token names its own", () => {
    const other = createShareToken(key, { linkId: 8, concept: "plain", expiresAt: claims.expiresAt });
    expect(open(other, link)).toEqual({ status: "not-found" });
    expect(open(other, { ...link, id: 8, concept: "plain" })).toMatchObject({ status: "open", concept: "plain" });
  });
});

describe("share link forms", () => {
  test.each([
    [{ concept: "split" }, { concept: "split", days: 7 }],
    [
      { concept: "split", days: "1" },
      { concept: "split", days: 1 },
    ],
    [
      { concept: "split", days: "90" },
      { concept: "split", days: 90 },
    ],
  ])("%o reads as %o", (form, expected) => {
    expect(CreateShareLinkForm.parse(form)).toEqual(expected);
  });

  test.each([
    { concept: "split", days: "0" },
    { concept: "split", days: "91" },
    { concept: "split", days: "2.5" },
    { concept: "split", days: "seven" },
    { concept: "", days: "7" },
    { days: "7" },
  ])("%o is refused", (form) => {
    expect(CreateShareLinkForm.safeParse(form).success).toBe(false);
  });

  test("a revoke names a positive link id", () => {
    expect(RevokeShareLinkForm.parse({ id: "3" })).toEqual({ id: 3 });
    for (const id of ["0", "-1", "x", ""]) expect(RevokeShareLinkForm.safeParse({ id }).success).toBe(false);
  });
});

describe("the admin's list of links", () => {
  test("lists the open links newest first, without the revoked and the expired", () => {
    const rows = [
      { ...link, id: 1, url: "u1" },
      { ...link, id: 2, url: "u2", createdAt: new Date(now.getTime() + 60_000) },
      { ...link, id: 3, url: "u3", revokedAt: now },
      { ...link, id: 4, url: "u4", expiresAt: now },
    ];
    expect(composeShareLinkList(rows, now)).toEqual([
      { id: 2, url: "u2", created: "2026-11-25 10:01 UTC", expires: "2026-12-02 10:00 UTC" },
      { id: 1, url: "u1", created: "2026-11-25 10:00 UTC", expires: "2026-12-02 10:00 UTC" },
    ]);
  });
});

describe("the shared report", () => {
  test("is the concept page without its latest signups", () => {
    const page = { title: "T", latest: [{ email: "a@b.c", name: "A", variant: "a", source: "s", when: "w" }] };
    const shared = sharedReport(page as unknown as Parameters<typeof sharedReport>[0]);
    expect(shared).toEqual({ title: "T" });
    expect(JSON.stringify(shared)).not.toContain("@");
  });
});
