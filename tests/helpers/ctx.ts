/**
 * A service context without HTTP, for tests that call services directly (e.g. over several
 * SQLite connections). Its identity provider is never used by the services under test.
 */
import type { UserCtx } from '../../src/api/deps.js';
import { loadSettings } from '../../src/core/config.js';
import type { Table } from '../../src/db/table.js';
import type { IdentityProvider } from '../../src/services/auth/provider.js';
import { systemClock, type Clock } from '../../src/utils/dates.js';

const noIdentity = new Proxy(
  {},
  {
    get: () => {
      throw new Error('these services do not use the identity provider');
    },
  },
) as IdentityProvider;

/** `userId`'s context on `db`. */
export function serviceCtx(db: Table, userId: string, clock: Clock = systemClock): UserCtx {
  return { settings: loadSettings({}), db, clock, identity: noIdentity, userId };
}
