/** Bringing a person's data in and taking it out: `POST /import/local-storage`, `GET /export`. */
import { defineRoute } from '../route.js';
import { ExportDocument, ImportResult, LocalStorageDump } from '../schemas/data.js';
import { exportData } from '../../services/export.js';
import { importLocalStorage } from '../../services/import/index.js';

const tags = ['Data'];

/** The routes of this module, for `createRouter`. */
export const dataRoutes = [
  defineRoute({
    method: 'post',
    path: '/import/local-storage',
    tags,
    summary: 'Import the browser’s localStorage (or an export)',
    description:
      'Every collection of the front end’s storage (`gs_*` keys, values parsed or as raw JSON strings) or of `GET /export`. Ids are kept; each record is validated with its domain’s create schema; a record that cannot be imported is reported (collection, id, reason) and the rest still import. Idempotent: records equal to the stored ones are left alone, so a second run creates nothing. Links are the union of the relation maps and the embedded `goalIds`/`projectIds`. Completed tasks never pay; the wallet starts from the dump’s ledger and balance, else zero. Up to 6 MiB.',
    body: LocalStorageDump,
    response: ImportResult,
    errors: ['PAYLOAD_TOO_LARGE'],
    handler: ({ ctx, body }) => importLocalStorage(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/export',
    tags,
    summary: 'Export all of the user’s data',
    description:
      'One versioned document in the front end’s `gs_*` format plus what only the server keeps (see `ExportDocument`). `POST /import/local-storage` reads it back.',
    response: ExportDocument,
    handler: ({ ctx }) => exportData(ctx),
  }),
];
