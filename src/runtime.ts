/**
 * Builds the process's {@link Deps} from settings: the store (SQLite or DynamoDB) and the
 * identity provider (local or Cognito). Adapters are loaded with dynamic imports so a process
 * only loads the native modules it uses.
 */
import type { Deps } from './api/deps.js';
import type { Settings } from './core/config.js';
import type { Table } from './db/table.js';
import type { IdentityProvider } from './services/auth/provider.js';
import { systemClock, type Clock } from './utils/dates.js';

/** Opens the store named by `STORE`. */
export async function openTable(settings: Settings): Promise<Table> {
  if (settings.STORE === 'sqlite') {
    const { SqliteTable } = await import('./db/sqlite.js');
    return SqliteTable.open(settings.SQLITE_PATH);
  }
  const { DynamoTable } = await import('./db/dynamodb/index.js');
  return DynamoTable.open({
    tableName: settings.TABLE_NAME,
    region: settings.AWS_REGION,
    ...(settings.DYNAMODB_ENDPOINT_URL ? { endpoint: settings.DYNAMODB_ENDPOINT_URL } : {}),
  });
}

/** Creates the identity provider named by `AUTH_MODE`. */
export async function openIdentity(
  settings: Settings,
  db: Table,
  clock: Clock,
): Promise<IdentityProvider> {
  if (settings.AUTH_MODE === 'local') {
    const { LocalIdentityProvider } = await import('./services/auth/local.js');
    return LocalIdentityProvider.create(db, clock, settings.DATA_DIR);
  }
  const { CognitoIdentityProvider } = await import('./services/auth/cognito.js');
  return new CognitoIdentityProvider({
    region: settings.AWS_REGION,
    userPoolId: settings.COGNITO_USER_POOL_ID as string,
    clientId: settings.COGNITO_CLIENT_ID as string,
    ...(settings.COGNITO_ENDPOINT_URL ? { endpoint: settings.COGNITO_ENDPOINT_URL } : {}),
    ...(settings.COGNITO_JWKS_URL ? { jwksUrl: settings.COGNITO_JWKS_URL } : {}),
  });
}

/** The dependencies of a process running with `settings`. */
export async function buildDeps(settings: Settings, clock: Clock = systemClock): Promise<Deps> {
  const db = await openTable(settings);
  return { settings, db, clock, identity: await openIdentity(settings, db, clock) };
}
