/**
 * Local entry: `npm start` / `make run`. Loads `.env` when present, validates settings (a wrong
 * value exits with one line naming the variable), and serves every route on HOST:PORT
 * (default http://127.0.0.1:8000, docs at /docs) with the configured store and sign-in.
 */
import { existsSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { SettingsError, loadSettings, type Settings } from './core/config.js';
import { createApp } from './main.js';
import { allRouters } from './api/routes/index.js';
import { buildDeps } from './runtime.js';

if (existsSync('.env')) process.loadEnvFile('.env');

let settings: Settings;
try {
  settings = loadSettings();
} catch (err) {
  if (err instanceof SettingsError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const deps = await buildDeps(settings);
const app = createApp(allRouters(), deps);
const where =
  settings.STORE === 'sqlite'
    ? `SQLite at ${settings.SQLITE_PATH}`
    : `DynamoDB table ${settings.TABLE_NAME}`;

const server = serve({ fetch: app.fetch, hostname: settings.HOST, port: settings.PORT }, (info) => {
  console.log(
    `Personal OS API on http://${info.address}:${info.port} — ${where}, ${settings.AUTH_MODE} sign-in; docs at /docs`,
  );
});

server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(
    err.code === 'EADDRINUSE'
      ? `Cannot listen on ${settings.HOST}:${settings.PORT}: the port is in use (stop the other server or set PORT)`
      : `Cannot listen on ${settings.HOST}:${settings.PORT}: ${err.message}`,
  );
  process.exit(1);
});

const stop = () => {
  server.close(() => {
    void deps.db.close().then(() => process.exit(0));
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
