/**
 * The esbuild options of every Lambda bundle — one source for serverless-esbuild (serverless.yml
 * `custom.esbuild.config`) and for `scripts/bundles.ts`, which rebuilds the same bundles with a
 * metafile for the cold-start test and benchmark.
 *
 * Traps avoided on purpose:
 * - `exclude: ['@aws-sdk/*']`: serverless-esbuild leaves out only the v2 `aws-sdk` by default;
 *   the SDK v3 clients are provided by the nodejs22.x runtime.
 * - no `external:` entry: any makes serverless-esbuild run `npm install` while packaging.
 * - no `metafile: true`: serverless-esbuild would copy every function's metafile into every zip.
 * - no `splitting`: code splitting can drop the routers' `.openapi()` registrations.
 * - the local-only native modules (better-sqlite3, @node-rs/argon2) are never reached: handlers
 *   import `src/runtime-aws.ts`, which imports only the DynamoDB and Cognito adapters.
 */
const options = {
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  outputFileExtension: '.mjs',
  mainFields: ['module', 'main'],
  exclude: ['@aws-sdk/*'],
  // CommonJS dependencies inside an ESM bundle still call `require` for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  packager: 'npm',
};

module.exports = () => options;
module.exports.options = options;
