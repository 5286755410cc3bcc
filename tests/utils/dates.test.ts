/** The memoised zone offsets agree with Temporal's own conversion, across DST changes. */
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { isLocalDate, localDateOf, parseInstant, utcOffsetMs } from '../../src/utils/dates.js';

describe('utcOffsetMs and localDateOf', () => {
  it.each([
    // Berlin: +01:00 → +02:00 at 01:00 UTC on 2026-03-29, back at 01:00 UTC on 2026-10-25.
    ['Europe/Berlin', '2026-03-28T20:00:00Z', '2026-03-29T06:00:00Z'],
    ['Europe/Berlin', '2026-10-24T20:00:00Z', '2026-10-25T06:00:00Z'],
    // Los Angeles: 10:00 UTC on 2026-03-08.
    ['America/Los_Angeles', '2026-03-08T05:00:00Z', '2026-03-08T15:00:00Z'],
    // Lord Howe Island shifts by 30 minutes (+10:30 ↔ +11:00), at 15:30 UTC on 2026-10-03.
    ['Australia/Lord_Howe', '2026-10-03T12:00:00Z', '2026-10-03T19:00:00Z'],
    // Kathmandu keeps +05:45 all year.
    ['Asia/Kathmandu', '2026-07-14T17:00:00Z', '2026-07-14T20:00:00Z'],
  ])('%s from %s to %s, every 7 minutes', (zone, from, to) => {
    for (let ms = Date.parse(from); ms <= Date.parse(to); ms += 7 * 60 * 1000) {
      const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
      expect(utcOffsetMs(ms, zone)).toBe(zoned.offsetNanoseconds / 1e6);
      expect(localDateOf(new Date(ms), zone)).toBe(zoned.toPlainDate().toString());
    }
  });

  it('puts 23:30 local on its own day west and east of UTC', () => {
    expect(localDateOf('2026-07-15T06:30:00.000Z', 'America/Los_Angeles')).toBe('2026-07-14');
    expect(localDateOf('2026-07-14T18:00:00.000Z', 'Asia/Kolkata')).toBe('2026-07-14'); // 23:30 IST
    expect(localDateOf('2026-07-14T18:30:00.000Z', 'Asia/Kolkata')).toBe('2026-07-15'); // 00:00 IST
  });
});

describe('the supported calendar (years 0001–9998)', () => {
  it('accepts local dates from 0001-01-01 to 9998-12-31 only', () => {
    expect(['0001-01-01', '2024-02-29', '9998-12-31'].map(isLocalDate)).toEqual([true, true, true]);
    expect(['0000-12-31', '9999-01-01', '2023-02-29'].map(isLocalDate)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('accepts instants whose every local date keeps four digits', () => {
    expect(parseInstant('2026-07-14T06:30:00+02:00')).toBe('2026-07-14T04:30:00.000Z');
    expect(parseInstant('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
    expect(parseInstant('9998-12-31T23:59:59.999Z')).toBe('9998-12-31T23:59:59.999Z');
    // 23:30Z on 0000-12-31 (UTC year 0); 04:00Z on 10000-01-01, which `toISOString` writes
    // `+010000-01-01T04:00:00.000Z`; date-only days outside the calendar.
    for (const value of [
      '0001-01-01T00:30:00+01:00',
      '9999-12-31T23:00:00-05:00',
      '9999-01-01T00:00:00Z',
      '0000-06-01',
    ]) {
      expect({ value, parsed: parseInstant(value) }).toEqual({ value, parsed: null });
    }
  });
});

describe('parseInstant', () => {
  it('takes a date-only string as noon UTC, so the day stays the same from UTC−11 to UTC+11', () => {
    const instant = parseInstant('2026-07-14');
    expect(instant).toBe('2026-07-14T12:00:00.000Z');
    for (const zone of [
      'Pacific/Pago_Pago',
      'America/Los_Angeles',
      'UTC',
      'Asia/Tokyo',
      'Pacific/Noumea',
    ]) {
      expect({ zone, date: localDateOf(instant as string, zone) }).toEqual({
        zone,
        date: '2026-07-14',
      });
    }
  });

  it('keeps an offset instant and refuses a date-time without an offset or an impossible date', () => {
    expect(parseInstant('2026-07-14T23:30:00-07:00')).toBe('2026-07-15T06:30:00.000Z');
    expect(parseInstant('2026-07-14T23:30:00')).toBeNull();
    expect(parseInstant('2026-02-30')).toBeNull();
  });
});
