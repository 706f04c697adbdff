/**
 * Days, ISO weeks and time zones: the one home of calendar arithmetic. A day is a UTC
 * calendar day written YYYY-MM-DD (the unit of counting and salt rotation); weeks are ISO
 * weeks in the founder's time zone (the digest), computed with Intl so DST is right.
 */

// The last day asked for and where it starts and ends: a request asks several times, and
// nearly always for the same day as the one before (toISOString is a tenth of a signup's CPU).
let lastDay = { day: "", startMs: 0, endMs: 0 };

/** The UTC calendar day of an instant, the unit of salt rotation. */
export function utcDay(at: Date): string {
  const ms = at.getTime();
  if (ms >= lastDay.startMs && ms < lastDay.endMs) return lastDay.day;
  const day = at.toISOString().slice(0, 10);
  const startMs = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  lastDay = { day, startMs, endMs: startMs + 86_400_000 };
  return day;
}

/** The instant a UTC day starts, in ms. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export const DAY_MS = 86_400_000;
/** The start of an open-ended range: before any data. */
export const EARLIEST_DAY = "2000-01-01";

export function addDays(day: string, days: number): string {
  return utcDay(new Date(dayStartMs(day) + days * DAY_MS));
}

/** Whole days from `from` to `to` (YYYY-MM-DD): 1 from a day to the next, negative backwards. */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStartMs(to) - dayStartMs(from)) / DAY_MS);
}

/** The first whole day from `ms` on (a change at 10:00 counts from the next midnight). */
export function firstWholeDay(ms: number): string {
  return ms <= 0 ? EARLIEST_DAY : utcDay(new Date(Math.ceil(ms / DAY_MS) * DAY_MS));
}

/**
 * A request may take up to REQUEST_TIMEOUT_MS (30 s by default) to commit: a day is whole
 * this long after its midnight, when no visit or signup of it can still be landing.
 */
const SETTLE_MS = 5 * 60_000;

/** The last whole UTC day at `now`: yesterday, or the day before in the first minutes after midnight. */
export function lastWholeDay(now: Date): string {
  return addDays(utcDay(new Date(now.getTime() - SETTLE_MS)), -1);
}

/** The `count` UTC days ending with `lastDay` (YYYY-MM-DD), oldest first. */
export function dayRange(lastDay: string, count: number): string[] {
  const end = dayStartMs(lastDay);
  return Array.from({ length: count }, (_, i) => utcDay(new Date(end - (count - 1 - i) * DAY_MS)));
}

export const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** The UTC instant of a wall-clock time in a time zone (DST-aware). */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      })
        .formatToParts(new Date(instant))
        .map((part) => [part.type, Number(part.value)]),
    );
    const local = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day, parts.hour, parts.minute, parts.second);
    return local - Math.floor(instant / 1000) * 1000;
  };
  const first = guess - offsetAt(guess);
  return guess - offsetAt(first);
}

/** The local calendar date of an instant in a time zone. */
export function localDate(
  instant: number,
  timeZone: string,
): { year: number; month: number; day: number; weekday: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "Mon") + 1;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), weekday };
}

/** The ISO week (YYYY-Www) of a calendar date. */
export function isoWeekOfDate(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / DAY_MS + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, "0")}`;
}

/** Monday of an ISO week, as a calendar date. */
function mondayOf(week: string): { year: number; month: number; day: number } {
  const match = ISO_WEEK.exec(week);
  if (!match) throw new Error(`not an ISO week: ${week}`);
  const year = Number(match[1]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(
    jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * DAY_MS + (Number(match[2]) - 1) * 7 * DAY_MS,
  );
  return { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() };
}

/** [start, end) of an ISO week in a time zone, in ms: local Monday 00:00 to the next Monday 00:00. */
export function isoWeekRange(week: string, timeZone: string): { start: number; end: number } {
  const monday = mondayOf(week);
  const next = new Date(Date.UTC(monday.year, monday.month - 1, monday.day + 7));
  return {
    start: zonedTime(monday.year, monday.month, monday.day, 0, 0, timeZone),
    end: zonedTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone),
  };
}

export function shiftIsoWeek(week: string, weeks: number): string {
  const monday = mondayOf(week);
  const shifted = new Date(Date.UTC(monday.year, monday.month - 1, monday.day + 7 * weeks));
  return isoWeekOfDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** The last complete ISO week before `now`, in the time zone. */
export function lastCompleteWeek(now: Date, timeZone: string): string {
  const today = localDate(now.getTime(), timeZone);
  return shiftIsoWeek(isoWeekOfDate(today.year, today.month, today.day), -1);
}

const WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

/**
 * The week whose digest is due at `now` under `schedule` ("MON 09:00" in `timeZone`): once
 * this week's slot has passed, the last complete week; before it, none.
 */
export function dueDigestWeek(schedule: string, timeZone: string, now: Date): string | undefined {
  const [day = "MON", time = "09:00"] = schedule.split(" ");
  const [hour = 9, minute = 0] = time.split(":").map(Number);
  const today = localDate(now.getTime(), timeZone);
  const thisWeek = isoWeekOfDate(today.year, today.month, today.day);
  const monday = mondayOf(thisWeek);
  const slotDay = new Date(Date.UTC(monday.year, monday.month - 1, monday.day + Math.max(0, WEEKDAYS.indexOf(day))));
  const slot = zonedTime(
    slotDay.getUTCFullYear(),
    slotDay.getUTCMonth() + 1,
    slotDay.getUTCDate(),
    hour,
    minute,
    timeZone,
  );
  return now.getTime() >= slot ? shiftIsoWeek(thisWeek, -1) : undefined;
}
