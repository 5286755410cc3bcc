/**
 * Schemas of the daily logbook (API_CONTRACT.md §b.7 L1–L8, §c.2 LogbookEntry, rule §e.15):
 * one entry per local calendar date, `energyLevel` 1–10 (echoed as `energy`), links to entities.
 */
import { z } from '@hono/zod-openapi';
import {
  Id,
  Instant,
  LinkEntityType,
  LocalDate,
  LogbookMood,
  PageQuery,
  Text,
  paged,
  startNotAfterEnd,
} from './common.js';

/** Energy on a 1–10 scale (whole numbers). */
const EnergyLevel = z.number().int().min(1).max(10).openapi({ description: '1 (drained) – 10' });

/** A logbook entry as the API returns it; `energy` repeats `energyLevel` for the dashboard path. */
export const LogbookEntry = z
  .object({
    id: z.string(),
    date: LocalDate,
    title: z.string().nullable(),
    notes: z.string().nullable(),
    mood: z.string().nullable(),
    energyLevel: z.number().int().nullable(),
    energy: z.number().int().nullable().openapi({ description: 'Same as energyLevel' }),
    userId: z.string(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('LogbookEntry');

const editable = {
  title: Text(500).optional(),
  notes: Text(50_000).optional(),
  mood: LogbookMood.nullable().optional(),
  energyLevel: EnergyLevel.nullable().optional(),
};

/** Body of `POST /logbook`. */
export const LogbookEntryCreate = z
  .object({ date: LocalDate, ...editable })
  .openapi('LogbookEntryCreate');

/** Body of `PATCH /logbook/{id}`: any subset; `null` clears; a new `date` must be free. */
export const LogbookEntryUpdate = z
  .object({ date: LocalDate.optional(), ...editable })
  .openapi('LogbookEntryUpdate');

/** Query of `GET /logbook`: an inclusive date range and paging. */
export const LogbookListQuery = PageQuery.extend({
  startDate: LocalDate.optional(),
  endDate: LocalDate.optional(),
}).refine(...startNotAfterEnd);

/** `GET /logbook`, newest date first. */
export const LogbookPage = paged(LogbookEntry).openapi('LogbookPage');

/** A link from an entry to another entity. */
export const LogbookLink = z
  .object({ entityType: LinkEntityType, entityId: z.string() })
  .openapi('LogbookLink');

/** Body of `POST /logbook/{id}/links`. */
export const LogbookLinkCreate = z
  .object({ entityType: LinkEntityType, entityId: Id })
  .openapi('LogbookLinkCreate');

/** `GET /logbook/{id}/links`. */
export const LogbookLinkPage = paged(LogbookLink).openapi('LogbookLinkPage');

/** Path of `DELETE /logbook/{id}/links/{entityId}` (the linked entity's id). */
export const LogbookLinkParams = z.object({ id: Id, entityId: Id });

/** The parsed type of {@link LogbookEntry}. */
export type LogbookEntryT = z.output<typeof LogbookEntry>;
/** The parsed type of {@link LogbookEntryCreate}. */
export type LogbookEntryCreateInput = z.output<typeof LogbookEntryCreate>;
/** The parsed type of {@link LogbookEntryUpdate}. */
export type LogbookEntryUpdateInput = z.output<typeof LogbookEntryUpdate>;
/** The parsed type of {@link LogbookListQuery}. */
export type LogbookListQueryT = z.output<typeof LogbookListQuery>;
/** The parsed type of {@link LogbookLink}. */
export type LogbookLinkT = z.output<typeof LogbookLink>;
/** The parsed type of {@link LogbookLinkCreate}. */
export type LogbookLinkCreateInput = z.output<typeof LogbookLinkCreate>;
