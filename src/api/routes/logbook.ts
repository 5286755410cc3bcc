/** The daily logbook: L1–L8 of API_CONTRACT.md §b.7. */
import { defineRoute } from '../route.js';
import { IdParams } from '../schemas/common.js';
import {
  LogbookEntry,
  LogbookEntryCreate,
  LogbookEntryUpdate,
  LogbookLinkCreate,
  LogbookLinkPage,
  LogbookLinkParams,
  LogbookListQuery,
  LogbookPage,
} from '../schemas/logbook.js';
import * as logbook from '../../services/logbook.js';
import { pageBody } from '../../utils/paging.js';

const tags = ['Logbook'];

/** The routes of this module, for `createRouter`. */
export const logbookRoutes = [
  defineRoute({
    method: 'get',
    path: '/logbook',
    tags,
    summary: 'List entries in a date range, newest date first',
    description:
      '`startDate` and `endDate` are inclusive local dates. Without `pageSize` every entry is returned.',
    query: LogbookListQuery,
    response: LogbookPage,
    handler: async ({ ctx, query }) => pageBody(await logbook.listEntries(ctx, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/logbook',
    tags,
    summary: 'Create the entry of a date',
    description: 'One entry per local date: a second entry for the same date → 409.',
    body: LogbookEntryCreate,
    response: LogbookEntry,
    status: 201,
    errors: ['CONFLICT'],
    handler: ({ ctx, body }) => logbook.createEntry(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/logbook/{id}',
    tags,
    summary: 'Get an entry by id, or by date (YYYY-MM-DD)',
    params: IdParams,
    response: LogbookEntry,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => logbook.getEntry(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/logbook/{id}',
    tags,
    summary: 'Update an entry',
    description: 'Moving an entry to a date that already has one → 409.',
    params: IdParams,
    body: LogbookEntryUpdate,
    response: LogbookEntry,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) => logbook.updateEntry(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/logbook/{id}',
    tags,
    summary: 'Delete an entry with its links',
    params: IdParams,
    response: null,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => logbook.deleteEntry(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/logbook/{id}/links',
    tags,
    summary: 'The entities an entry links to',
    params: IdParams,
    response: LogbookLinkPage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params }) => pageBody(await logbook.listLinks(ctx, params.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/logbook/{id}/links',
    tags,
    summary: 'Link an entry to a task, project, goal, metric, habit or entry',
    description:
      'The entity must be one of the user’s own (404 otherwise). Linking twice is harmless.',
    params: IdParams,
    body: LogbookLinkCreate,
    response: null,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params, body }) => logbook.addLink(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/logbook/{id}/links/{entityId}',
    tags,
    summary: 'Unlink an entity (the segment is the linked entity’s id)',
    params: LogbookLinkParams,
    response: null,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => logbook.removeLink(ctx, params.id, params.entityId),
  }),
];
