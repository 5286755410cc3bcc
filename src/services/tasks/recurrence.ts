/**
 * Occurrences of a recurring task. A series has an *anchor* date (the first occurrence's due
 * date, else its scheduled date, else its local creation date) and a rule
 * `{frequency, interval, endDate}`. Occurrence `n` falls on `anchor + n × interval` units,
 * always computed **from the anchor** on the user's calendar (Temporal `PlainDate.add`), never
 * from the previous occurrence. So a monthly series anchored on the 31st lands on the last day of
 * shorter months (Feb 28/29, Apr 30) and returns to the 31st; a yearly one anchored on Feb 29
 * lands on Feb 28 in common years. (RFC 5545 would skip such months instead; like most
 * calendar apps we clamp to the month's end, which is what a person expects of "monthly".)
 * The series stops after `endDate` (inclusive), and at the latest after 9998-12-31.
 */
import { Temporal } from 'temporal-polyfill';
import { MAX_LOCAL_DATE } from '../../utils/dates.js';

/** A recurrence rule as the contract defines it. */
export interface Recurrence {
  frequency: 'Daily' | 'Weekly' | 'Monthly' | 'Yearly' | string;
  /** Units between occurrences, ≥ 1. */
  interval: number;
  /** Last allowed date (inclusive), or null for no end. */
  endDate: string | null;
}

/** The local date of occurrence `index` (0 = the anchor itself) of a series. */
export function occurrenceDate(anchor: string, rule: Recurrence, index: number): string {
  const steps = rule.interval * index;
  const date = Temporal.PlainDate.from(anchor);
  const duration =
    rule.frequency === 'Daily'
      ? { days: steps }
      : rule.frequency === 'Weekly'
        ? { weeks: steps }
        : rule.frequency === 'Monthly'
          ? { months: steps }
          : { years: steps };
  return date.add(duration, { overflow: 'constrain' }).toString();
}

/**
 * The date of occurrence `index`, or null when it falls after the rule's `endDate` or after the
 * last supported date ({@link MAX_LOCAL_DATE}: the series ends there).
 */
export function nextOccurrence(anchor: string, rule: Recurrence, index: number): string | null {
  const date = occurrenceDate(anchor, rule, index);
  const end =
    rule.endDate !== null && rule.endDate < MAX_LOCAL_DATE ? rule.endDate : MAX_LOCAL_DATE;
  // Extended years (`+010026-…`) sort before four-digit ones: compare the year first.
  return date.startsWith('+') || date > end ? null : date;
}
