/**
 * moto's server (the DynamoDB + Cognito emulator that `make test` / `make bench` install into
 * `.tools/venv`), started on 127.0.0.1 on a free port. Shared by the Vitest global setup and the
 * benchmark (`bench/run.ts`); it imports nothing from Vitest so plain Node can use it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The emulator's entry point in the project's virtualenv. */
export const MOTO_SERVER = resolve('.tools/venv/bin/moto_server');

/** Milliseconds {@link Moto.stop} waits after SIGTERM before it sends SIGKILL. */
const STOP_GRACE_MS = 2_000;

/** A running emulator. */
export interface Moto {
  /** Base URL, e.g. `http://127.0.0.1:41234`: the endpoint of DynamoDB and Cognito alike. */
  url: string;
  /** Stops the server (SIGTERM, SIGKILL after 2 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A TCP port nobody listens on at the moment of asking. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('moto_server did not start within 30 s');
}

/**
 * Starts moto's server bound to 127.0.0.1 (explicitly, DESIGN.md §1) and resolves once it
 * answers. Call `stop()` when done.
 *
 * @throws Error when `.tools/venv` has no moto (run `make test` or `make bench`), when the server
 *   exits early, or when it does not answer within 30 s.
 */
export async function startMoto(): Promise<Moto> {
  if (!existsSync(MOTO_SERVER)) {
    throw new Error(
      'The emulator is not installed: run `make test` or `make bench` (they create .tools/venv with moto[server]).',
    );
  }
  const port = await freePort();
  const child = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    // Its exit slows with the data it holds (7 s after 1,000 items were written); the state lives
    // in memory only, so nothing is lost by killing it after a grace period.
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(kill);
  };
  try {
    await waitUntilUp(url, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}
