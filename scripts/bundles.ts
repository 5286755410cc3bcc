/**
 * Rebuilds the Lambda bundles outside osls, with the options serverless-esbuild uses
 * (`deploy/esbuild.cjs`) plus a metafile, for the cold-start test (`tests/deploy/bundles.test.ts`)
 * and benchmark (`bench/cold-start.ts`) — the packaged zips carry no metafile on purpose.
 *
 * {@link loadBundle} imports a bundle in a fresh Node process, as a Lambda cold start does, and
 * reports the module initialisation time and, optionally, the answer to one event.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/** The options object of `deploy/esbuild.cjs` (esbuild's plus serverless-esbuild's own keys). */
interface DeployEsbuildOptions extends BuildOptions {
  exclude: string[];
  outputFileExtension: string;
  packager?: string;
}

const ROOT = resolve(import.meta.dirname, '..');
const deployOptions = (
  createRequire(import.meta.url)('../deploy/esbuild.cjs') as { options: DeployEsbuildOptions }
).options;

/** One function's bundle. */
export interface Bundle {
  /** The function (and handler file) name, e.g. `tasks`. */
  name: string;
  /** Absolute path of the bundle (`<outDir>/<name>.mjs`). */
  file: string;
  /** Size of the bundle in bytes (without its source map). */
  bytes: number;
  metafile: Metafile;
}

/** The functions that have a handler file (`handlers/<name>.ts`), sorted. */
export function handlerNames(): string[] {
  return readdirSync(join(ROOT, 'handlers'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/**
 * Builds every handler's bundle into `outDir` (default `dist/bundles`, inside the repository so
 * the bundles resolve the external `@aws-sdk/*` packages from `node_modules`, as Lambda's
 * runtime provides them).
 */
export async function buildBundles(outDir = join(ROOT, 'dist/bundles')): Promise<Bundle[]> {
  const { exclude, outputFileExtension, packager: _packager, ...esbuildOptions } = deployOptions;
  return Promise.all(
    handlerNames().map(async (name) => {
      const result = await build({
        ...esbuildOptions,
        entryPoints: [join(ROOT, 'handlers', `${name}.ts`)],
        outfile: join(outDir, `${name}${outputFileExtension}`),
        external: exclude,
        metafile: true,
        logLevel: 'silent',
      });
      const file = join(outDir, `${name}${outputFileExtension}`);
      return { name, file, bytes: statSync(file).size, metafile: result.metafile };
    }),
  );
}

/** The source modules bundled into `bundle` (metafile inputs, e.g. `node_modules/hono/dist/...`). */
export function bundledModules(bundle: Bundle): string[] {
  return Object.keys(bundle.metafile.inputs);
}

/** The packages a bundle leaves to the runtime (its external imports), e.g. `@aws-sdk/client-dynamodb`. */
export function externalImports(bundle: Bundle): string[] {
  const outputs = Object.values(bundle.metafile.outputs);
  return [
    ...new Set(outputs.flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path))),
  ].sort();
}

/** Environment a bundle needs to initialise (settings are validated at cold start). */
export const BUNDLE_ENV: Record<string, string> = {
  AWS_LAMBDA_FUNCTION_NAME: 'personal-os-bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'offline',
  AWS_SECRET_ACCESS_KEY: 'offline',
  STAGE: 'dev',
  TABLE_NAME: 'personal-os-dev',
  COGNITO_USER_POOL_ID: 'us-east-1_offline',
  COGNITO_CLIENT_ID: 'offline-client',
  UPLOADS_BUCKET: 'personal-os-offline-uploads',
};

/** What {@link loadBundle} measured. */
export interface LoadResult {
  /** Milliseconds `import()` of the bundle took (module evaluation, the cold start's init). */
  initMs: number;
  /** The handler's answer to `event`, when one was given. */
  response?: { statusCode: number; body: string; headers?: Record<string, string> };
}

const LOADER = `
const started = performance.now();
const mod = await import(process.env.BUNDLE_FILE);
const initMs = performance.now() - started;
const event = process.env.BUNDLE_EVENT ? JSON.parse(process.env.BUNDLE_EVENT) : null;
const response = event ? await mod.handler(event, {}) : undefined;
process.stdout.write(JSON.stringify({ initMs, response }));
`;

/**
 * Imports `file` in a fresh Node process (with {@link BUNDLE_ENV} and `env`) and, when `event`
 * is given, invokes its `handler` once. @throws Error with the child's stderr when it fails
 */
export async function loadBundle(
  file: string,
  event?: unknown,
  env: Record<string, string> = {},
): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', LOADER],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ...BUNDLE_ENV,
        ...env,
        BUNDLE_FILE: file,
        ...(event ? { BUNDLE_EVENT: JSON.stringify(event) } : {}),
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as LoadResult;
}
