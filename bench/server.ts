/**
 * Child-process entry of the benchmark: serves {@link benchApp} with @hono/node-server on
 * 127.0.0.1 (a free port) with local sign-in (its key in the directory given first) over a fresh
 * SQLite file (given second), and sends `{url}` to its parent over IPC. Running apart from the
 * load generator keeps autocannon off the server's event loop. Exits when the parent disconnects.
 */
import { serve } from '@hono/node-server';
import { loadSettings } from '../src/core/config.js';
import { buildDeps } from '../src/runtime.js';
import { benchApp } from './app.js';

const [dataDir, sqlitePath] = process.argv.slice(2);
if (!dataDir || !sqlitePath || !process.send) {
  throw new Error('usage: forked by bench/harness.ts with a directory and a SQLite path');
}

// Settings from this object only: a developer's `.env` must not change what is measured.
const settings = loadSettings({ STORE: 'sqlite', SQLITE_PATH: sqlitePath, DATA_DIR: dataDir });
const deps = await buildDeps(settings);
serve({ fetch: benchApp(deps).fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.send?.({ url: `http://127.0.0.1:${info.port}` });
});
// The parent removes the directory; nothing here needs a graceful close.
process.on('disconnect', () => process.exit(0));
