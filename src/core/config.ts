/**
 * Settings, read from the environment once and validated with Zod at start-up.
 *
 * Zero configuration gives the local defaults: SQLite under `.data/`, local sign-in, port 8000.
 * A wrong value fails with one line naming the variable ({@link SettingsError}).
 */
import { z } from 'zod';

const optionalString = z.string().min(1).optional();
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const SettingsSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    STAGE: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes only')
      .default('local'),
    TABLE_NAME: optionalString,
    STORE: z.enum(['sqlite', 'dynamodb']).default('sqlite'),
    SQLITE_PATH: z.string().min(1).default('.data/personal-os.db'),
    DATA_DIR: z.string().min(1).default('.data'),
    DYNAMODB_ENDPOINT_URL: z.url().optional(),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    AUTH_MODE: z.enum(['local', 'cognito']).default('local'),
    COGNITO_USER_POOL_ID: optionalString,
    COGNITO_CLIENT_ID: optionalString,
    COGNITO_JWKS_URL: z.url().optional(),
    COGNITO_ENDPOINT_URL: z.url().optional(),
    CORS_ORIGINS: z.string().default('http://localhost:5173,http://127.0.0.1:5173'),
    AWARD_MILESTONE_POINTS: booleanFlag.default(true),
    LLM_SECRET_NAME: optionalString,
    UPLOADS_BUCKET: optionalString,
    S3_ENDPOINT_URL: z.url().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.AUTH_MODE === 'cognito') {
      for (const name of ['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID'] as const) {
        if (!s[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required when AUTH_MODE=cognito',
          });
      }
    }
  });

/** The validated settings. `tableName` is `TABLE_NAME` or `personal-os-{STAGE}`. */
export type Settings = Omit<z.output<typeof SettingsSchema>, 'TABLE_NAME' | 'CORS_ORIGINS'> & {
  /** DynamoDB table name. */
  TABLE_NAME: string;
  /** Allowed CORS origins (`*` allows any). */
  CORS_ORIGINS: string[];
};

/** Raised for an invalid environment; its message is one line that names the variable. */
export class SettingsError extends Error {}

/**
 * Validates `env` (normally `process.env`) into {@link Settings}. Empty strings count as unset.
 *
 * @throws SettingsError naming the first invalid variable, e.g. `Invalid setting PORT: ...`.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const known = Object.keys(SettingsSchema.shape);
  const input: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') input[name] = value.trim();
  }
  const parsed = SettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const shown = input[name] === undefined ? '' : ` (got "${input[name]}")`;
    throw new SettingsError(`Invalid setting ${name}${shown}: ${issue?.message ?? 'invalid'}`);
  }
  const s = parsed.data;
  return {
    ...s,
    TABLE_NAME: s.TABLE_NAME ?? `personal-os-${s.STAGE}`,
    CORS_ORIGINS: s.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  };
}
