/**
 * A cleaner signal: one address is one signup however it is written, throwaway addresses
 * are kept but counted apart, and the founder's own visits are not counted.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminCookie, post, startServer, type TestServer } from "../support/server";

const DAY = "2026-06-15";
const databasePath = join(mkdtempSync(join(tmpdir(), "racine-signal-")), "racine.db");
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ CLOCK_START: `${DAY}T12:00:00Z`, DATABASE_PATH: databasePath });
});
afterAll(() => server.stop());

const agent = (name: string) => `Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 ${name}`;
const signupsOf = (concept: string) =>
  server.query<{ email: string; email_key: string; throwaway: number; exposure: string }>(
    "select email, email_key, throwaway, exposure from signups where concept = ? order by id",
    concept,
  );
const recipients = (emailKey: string) =>
  server
    .query<{ to: string }>(
      `select o."to" from outbox o join signups s on s.id = o.signup_id
        where s.email_key = ? and o.kind = 'confirmation'`,
      emailKey,
    )
    .map((row) => JSON.parse(row.to) as string[]);
const countViews = () =>
  server.query<{ n: number }>("select count(*) as n from views where concept = 'plain'")[0]?.n ?? 0;

describe("one address is one signup", () => {
  test("Bars.One@Example.com and bars.one@example.com are one signup and one confirmation email", async () => {
    const first = await post(server, "/api/signup", { concept: "split", email: "Bars.One@Example.com" });
    const again = await post(server, "/api/signup", { concept: "split", email: "bars.one@example.com" });
    expect([first.status, again.status]).toEqual([201, 201]);
    const rows = signupsOf("split").filter((row) => row.email_key === "bars.one@example.com");
    // The address as typed first is kept, for sending.
    expect(rows).toEqual([expect.objectContaining({ email: "Bars.One@Example.com" })]);
    expect(recipients("bars.one@example.com")).toEqual([["Bars.One@example.com"]]);
  });

  test("a domain in fullwidth letters is the domain meant: stored, keyed and mailed as such", async () => {
    await post(server, "/api/signup", { concept: "split", email: "Kim@ｇｍａｉｌ.com" });
    const again = await post(server, "/api/signup", { concept: "split", email: "kim@GMAIL.com" });
    expect(again.status).toBe(201);
    expect(signupsOf("split").filter((row) => row.email_key === "kim@gmail.com")).toEqual([
      expect.objectContaining({ email: "Kim@gmail.com" }),
    ]);
    expect(recipients("kim@gmail.com")).toEqual([["Kim@gmail.com"]]);
  });

  test("a Unicode domain is kept as typed and mailed in its ASCII form", async () => {
    await post(server, "/api/signup", { concept: "split", email: "lea@Café.fr" });
    expect(signupsOf("split").filter((row) => row.email_key === "lea@xn--caf-dma.fr")).toEqual([
      expect.objectContaining({ email: "lea@Café.fr" }),
    ]);
    expect(recipients("lea@xn--caf-dma.fr")).toEqual([["lea@xn--caf-dma.fr"]]);
  });

  test("a domain with no ASCII form is refused with a clear message: 400 JSON in the concept's language", async () => {
    const before = signupsOf("split").length;
    const res = await post(server, "/api/signup", { concept: "split", email: "a@xn--zz.com" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      errors: {
        email: "La partie après @ de cette adresse n’est pas un nom de domaine auquel on peut écrire. Vérifiez-la ?",
      },
    });
    expect(signupsOf("split")).toHaveLength(before);
  });

  test("… and on the landing page without JavaScript, with the address typed", async () => {
    const res = await post(server, "/api/signup", `concept=english&email=${encodeURIComponent("a@١٢٣.com")}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain(
      'data-state="error">The part after the @ is not a domain that email can be sent to. Could you check it?</p>',
    );
    expect(html).toContain('value="a@١٢٣.com" aria-invalid="true"');
    expect(signupsOf("english")).toHaveLength(0);
  });
});

describe("throwaway addresses", () => {
  test("are accepted, flagged and mailed; a subdomain of a listed domain is one too", async () => {
    // Three visitors of plain, each signing up after their visit: one real, two throwaway.
    for (const [name, email] of [
      ["real", "real@exemple.fr"],
      ["temp", "temp@Mailinator.com"],
      ["sub", "x@inbox.mailinator.com"],
    ] as const) {
      const headers = { "user-agent": agent(name) };
      expect((await post(server, "/api/view", { concept: "plain" }, headers)).status).toBe(204);
      expect((await post(server, "/api/signup", { concept: "plain", email }, headers)).status).toBe(201);
    }
    expect(signupsOf("plain")).toEqual([
      expect.objectContaining({ email_key: "real@exemple.fr", throwaway: 0, exposure: "day" }),
      expect.objectContaining({ email_key: "temp@mailinator.com", throwaway: 1, exposure: "day" }),
      expect.objectContaining({ email_key: "x@inbox.mailinator.com", throwaway: 1, exposure: "day" }),
    ]);
    // Mailed as typed, the domain in its (lower-case) ASCII form.
    expect(recipients("temp@mailinator.com")).toEqual([["temp@mailinator.com"]]);
  });

  test("count for no conversion on /admin, and are shown apart there", async () => {
    const html = await (
      await fetch(new URL("/admin", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    const plain = html.slice(html.indexOf('id="concept-plain"'));
    expect(plain).toMatch(/data-figure="visitors">3</);
    expect(plain).toMatch(/data-figure="signups">1</);
    expect(plain).toMatch(/data-figure="conversion">33\.3 %</);
    expect(html).toMatch(
      /data-figure="throwaway">\s*<strong>2 signups with a throwaway address \([^)]*: 2\)<\/strong>/,
    );
  });

  test("the CSV export says which addresses are throwaway", async () => {
    const csv = await (
      await fetch(new URL("/admin/export.csv", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    const [header = [], ...rows] = csv
      .slice(1)
      .trim()
      .split("\r\n")
      .map((line) => line.split(","));
    const column = header.indexOf('"throwaway"');
    expect(column).toBeGreaterThan(0);
    const throwawayOf = (address: string) => rows.find((row) => row.some((cell) => cell.includes(address)))?.[column];
    expect(throwawayOf("temp@Mailinator.com")).toBe('"yes"');
    expect(throwawayOf("real@exemple.fr")).toBe('"no"');
  });
});

describe("the founder's own visits", () => {
  test("a view carrying an admin session is acknowledged and not stored; a forged session is a visitor", async () => {
    const cookie = await adminCookie(server);
    const before = countViews();
    const res = await post(server, "/api/view", { concept: "plain" }, { "user-agent": agent("founder"), cookie });
    expect(res.status).toBe(204);
    expect(countViews()).toBe(before);
    const forged = `racine_admin=${"a".repeat(22)}.1.${"b".repeat(43)}`;
    await post(server, "/api/view", { concept: "plain" }, { "user-agent": agent("forger"), cookie: forged });
    expect(countViews()).toBe(before + 1);
  });

  test("the switch on /admin sets a first-party cookie the beacon honours, and turns it back off", async () => {
    const admin = await adminCookie(server);
    const on = await post(server, "/admin/exclude-browser", "exclude=on", { cookie: admin });
    expect(on.status).toBe(303);
    expect(on.headers.get("location")).toBe("/admin#exclude-browser");
    const set = on.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/^racine_exclude=1; Max-Age=\d{8}; Path=\/; SameSite=Lax; HttpOnly$/);
    const exclude = set.split(";")[0] ?? "";

    // Signed out, the flag alone keeps this browser out: its views, and its signups' conversions.
    const headers = { "user-agent": agent("founder-at-home"), cookie: exclude };
    const before = countViews();
    expect((await post(server, "/api/view", { concept: "plain" }, headers)).status).toBe(204);
    expect(countViews()).toBe(before);
    expect((await post(server, "/api/signup", { concept: "plain", email: "me@founder.fr" }, headers)).status).toBe(201);
    expect(signupsOf("plain").find((row) => row.email_key === "me@founder.fr")).toMatchObject({ exposure: "none" });
    expect(recipients("me@founder.fr")).toHaveLength(1);

    // The admin pages show the state, and offer the way back.
    const page = await (
      await fetch(new URL("/admin/c/plain", server.url), { headers: { cookie: `${admin}; ${exclude}` } })
    ).text();
    expect(page).toContain('data-excluded="true"');
    expect(page).toContain("Count this browser again");
    const off = await post(server, "/admin/exclude-browser", "exclude=off&back=%2Fadmin%2Fc%2Fplain", {
      cookie: `${admin}; ${exclude}`,
    });
    expect(off.headers.get("location")).toBe("/admin/c/plain#exclude-browser");
    expect(off.headers.get("set-cookie")).toMatch(/^racine_exclude=; Max-Age=0; Path=\/;/);
    await post(server, "/api/view", { concept: "plain" }, { "user-agent": agent("founder-at-home") });
    expect(countViews()).toBe(before + 1);
  });

  test("only a signed-in founder can use the switch, with a valid form", async () => {
    const stranger = await post(server, "/admin/exclude-browser", "exclude=on");
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get("location")).toBe("/admin/login");
    expect(stranger.headers.get("set-cookie")).toBeNull();
    const admin = await adminCookie(server);
    for (const body of ["exclude=maybe", "exclude=on&back=https%3A%2F%2Fevil.example", ""]) {
      const res = await post(server, "/admin/exclude-browser", body, { cookie: admin });
      expect(res.status).toBe(400);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });
});

describe("two days later (the signups' day rolled up)", () => {
  beforeAll(async () => {
    await server.stop();
    server = await startServer({ CLOCK_START: "2026-06-17T12:00:00Z", DATABASE_PATH: databasePath });
  });

  test("the concept's verdict reads neither throwaway addresses nor the founder; both are shown apart", async () => {
    expect(server.query("select rolled_through as day from rollup_progress")).toEqual([{ day: DAY }]);
    expect(server.query("select sum(signups) as s, sum(throwaway) as t from rollups where concept = 'plain'")).toEqual([
      { s: 2, t: 2 },
    ]);
    const html = await (
      await fetch(new URL("/admin/c/plain", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    // Visitors: real, temp, sub, the forger and the founder once the switch was off (none of their other views); signups: real only.
    expect(html).toMatch(
      /data-figure="test-visitors">5<\/span> visitors,\s*<span data-figure="test-conversions">1<\/span> signups/,
    );
    expect(html).toMatch(/data-figure="throwaway">\s*<strong>2 signups with a throwaway address<\/strong>/);
    expect(html).toMatch(/data-figure="unexposed">\s*<strong>1 signups without a recorded visit<\/strong>/);
    expect(html).toContain('class="pill muted" title="A disposable inbox: left out of every figure.">throwaway</span>');
  });
});
