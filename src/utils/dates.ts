/**
 * Time and calendar helpers on Temporal (temporal-polyfill), per DESIGN.md §4.
 *
 * Vocabulary: an *instant* is a UTC moment, stored as a fixed-width ISO 8601 string
 * (`2026-07-14T06:30:00.000Z`, always milliseconds, so strings sort in time order); a *local
 * date* is a `YYYY-MM-DD` calendar day in a user's IANA time zone. "Today", streaks and daily
 * buckets always use local dates, never UTC dates or elapsed milliseconds / 86,400,000.
 */
import { Temporal } from 'temporal-polyfill';

/** Source of the current time; services take one so tests can fix "now". */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The clock's time in whole seconds since the Unix epoch (the unit of DynamoDB TTL and JWT `iat`/`exp`). */
export const epochSeconds = (clock: Clock): number => Math.floor(clock.now().getTime() / 1000);

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at `iso` (movable with `set`), for tests and scripts. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let current = new Date(iso);
  return {
    now: () => new Date(current.getTime()),
    set: (next: string) => {
      current = new Date(next);
    },
  };
}

/** `date` as a fixed-width ISO 8601 UTC instant (milliseconds, `Z`). */
export function toInstant(date: Date): string {
  return date.toISOString();
}

/** The clock's current instant as a fixed-width ISO string. */
export function nowInstant(clock: Clock): string {
  return toInstant(clock.now());
}

/**
 * The supported calendar: local dates from 0001-01-01 to 9998-12-31, instants from
 * 0001-01-01T00:00:00.000Z to before 9999-01-01T00:00:00.000Z. Inside it every instant has the
 * fixed-width form (years 0000–9999, which `toISOString` leaves for `+010000-…` or `-000001-…`)
 * and so does every local date derived from one (any zone, give or take a day of arithmetic), so
 * keys sort in time order and dates parse back.
 */
export const MIN_LOCAL_DATE = '0001-01-01';
/** The last supported local date (see {@link MIN_LOCAL_DATE}). */
export const MAX_LOCAL_DATE = '9998-12-31';
const MIN_INSTANT_MS = Date.parse('0001-01-01T00:00:00.000Z');
const END_INSTANT_MS = Date.parse('9999-01-01T00:00:00.000Z');

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Whether `value` is a real calendar date `YYYY-MM-DD` (`2024-02-30` is not) of the supported
 * calendar ({@link MIN_LOCAL_DATE}…{@link MAX_LOCAL_DATE}).
 */
export function isLocalDate(value: string): boolean {
  if (!DATE_ONLY.test(value) || value < MIN_LOCAL_DATE || value > MAX_LOCAL_DATE) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses an instant given as ISO 8601 with `Z` or an offset, or as a date-only string, into the
 * fixed-width UTC form. A date-only string means that calendar day and is taken as **noon UTC**,
 * which falls on the same calendar day in every zone from UTC−11 to UTC+11 (API_CONTRACT.md
 * §e.10's advice for habit logs): a user in Los Angeles or Tokyo who sends `2026-07-14` finds it
 * on July 14 (midnight UTC would be July 13 in Los Angeles). Returns null for anything else — in particular a
 * date-time without an offset, which names no instant, and an instant outside the supported
 * calendar (see {@link MIN_LOCAL_DATE}).
 */
export function parseInstant(value: string): string | null {
  if (DATE_ONLY.test(value)) return isLocalDate(value) ? `${value}T12:00:00.000Z` : null;
  if (!WITH_OFFSET.test(value)) return null;
  let ms: number;
  try {
    ms = Temporal.Instant.from(value).epochMilliseconds;
  } catch {
    return null;
  }
  return ms >= MIN_INSTANT_MS && ms < END_INSTANT_MS ? toInstant(new Date(ms)) : null;
}

/**
 * The canonical IANA name of `zone` (`asia/kolkata` → `Asia/Kolkata`), or null when no such zone
 * exists. Validated by constructing it, not with `Intl.supportedValuesOf` (which omits `UTC`).
 * A bare UTC offset (`+05:30`), which Temporal also accepts, is not an IANA name: null (the
 * IANA database spells fixed offsets `Etc/GMT-5`, sign inverted, whole hours).
 */
export function canonicalTimeZone(zone: string): string | null {
  try {
    const id = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone).timeZoneId;
    return /^[+-]/.test(id) ? null : id;
  } catch {
    return null;
  }
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const offsetCache = new Map<string, number>();

/**
 * The UTC offset of `timeZone` at epoch milliseconds `ms`, in milliseconds (Temporal's
 * `offsetNanoseconds`). Memoised per zone and UTC quarter-hour: zones change offset only at
 * quarter-hour UTC instants (offsets are whole quarter-hours and transitions happen on the
 * local hour or half-hour), so one conversion serves every instant of the quarter. Reading a
 * 10,000-log series thus converts a few hundred times instead of 10,000.
 */
export function utcOffsetMs(ms: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(ms / QUARTER_HOUR_MS)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset =
      Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).offsetNanoseconds /
      1e6;
    if (offsetCache.size >= 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** The local date of `instant` (an ISO string or Date) in `timeZone`. */
export function localDateOf(instant: string | Date, timeZone: string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + utcOffsetMs(ms, timeZone)).toISOString().slice(0, 10);
}

/** Today's local date in `timeZone` by `clock`. */
export function todayIn(clock: Clock, timeZone: string): string {
  return localDateOf(clock.now(), timeZone);
}

/** `date` plus `days` calendar days (negative to go back). */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' })
    .days;
}

/** The Monday that starts the ISO week of `date`. */
export function startOfWeek(date: string): string {
  const d = Temporal.PlainDate.from(date);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

/** The instant at which local date `date` begins in `timeZone` (handles DST gaps). */
export function startOfLocalDay(date: string, timeZone: string): string {
  const zdt = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone });
  return toInstant(new Date(zdt.epochMilliseconds));
}

/** The instant of wall-clock time `time` (`HH:MM`) on local date `date` in `timeZone` (a time in a DST gap moves forward). */
export function instantAtLocalTime(date: string, time: string, timeZone: string): string {
  const zdt = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone, plainTime: time });
  return toInstant(new Date(zdt.epochMilliseconds));
}
