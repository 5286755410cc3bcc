/**
 * The dependencies of a Lambda function: DynamoDB and Cognito, imported statically so esbuild
 * bundles exactly these adapters — and never the local ones (`db/sqlite.ts`, better-sqlite3,
 * `services/auth/local.ts`, @node-rs/argon2), which only `src/runtime.ts` loads.
 *
 * Built once per cold start ({@link lambdaDeps}): settings are validated from the function's
 * environment (a wrong value fails the init loudly, naming the variable) with `STORE=dynamodb`
 * and `AUTH_MODE=cognito` forced, and the SDK clients are created once and reused by every
 * invocation. Nothing here calls AWS: the first request opens the connections.
 */
import type { Deps } from './api/deps.js';
import { loadSettings, type Settings } from './core/config.js';
import { DynamoTable } from './db/dynamodb/index.js';
import { CognitoIdentityProvider } from './services/auth/cognito.js';
import { systemClock } from './utils/dates.js';

/** Settings of a Lambda function: its environment, always DynamoDB + Cognito. @throws SettingsError */
export function lambdaSettings(env: Record<string, string | undefined> = process.env): Settings {
  return loadSettings({ ...env, STORE: 'dynamodb', AUTH_MODE: 'cognito' });
}

/** Dependencies over DynamoDB and Cognito for `settings` (emulator endpoints honoured when set). */
export function buildAwsDeps(settings: Settings): Deps {
  const db = DynamoTable.open({
    tableName: settings.TABLE_NAME,
    region: settings.AWS_REGION,
    ...(settings.DYNAMODB_ENDPOINT_URL ? { endpoint: settings.DYNAMODB_ENDPOINT_URL } : {}),
  });
  const identity = new CognitoIdentityProvider({
    region: settings.AWS_REGION,
    userPoolId: settings.COGNITO_USER_POOL_ID as string,
    clientId: settings.COGNITO_CLIENT_ID as string,
    ...(settings.COGNITO_ENDPOINT_URL ? { endpoint: settings.COGNITO_ENDPOINT_URL } : {}),
    ...(settings.COGNITO_JWKS_URL ? { jwksUrl: settings.COGNITO_JWKS_URL } : {}),
  });
  return { settings, db, clock: systemClock, identity };
}

let deps: Deps | null = null;

/** The function's dependencies, built on first use and shared by every handler module of the process. */
export function lambdaDeps(): Deps {
  deps ??= buildAwsDeps(lambdaSettings());
  return deps;
}
