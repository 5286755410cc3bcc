/**
 * The local server as a user runs it (`src/server.ts`, what `make run` starts): sign up, log in,
 * create a task, stop the process, start it again — the account still signs in and the task is
 * still listed under `data.tasks`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './helpers/moto.js';
import { tempDir } from './helpers/stores.js';

let server: ChildProcess | null = null;

async function start(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return url;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function stop(): Promise<void> {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

afterEach(stop);

const json = async (res: Response) =>
  ((await res.json()) as { data: Record<string, unknown> }).data;

describe('the local server', () => {
  it('keeps accounts and tasks across a stop and a start', async () => {
    const dir = tempDir();
    const env = { SQLITE_PATH: join(dir, 'personal-os.db'), DATA_DIR: dir };
    const credentials = { email: 'restart@example.com', password: 'Correct-horse-9' };
    const post = (url: string, path: string, body: unknown, token?: string) =>
      fetch(url + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });

    let url = await start(env);
    expect((await post(url, '/auth/signup', credentials)).status).toBe(201);
    let token = String((await json(await post(url, '/auth/login', credentials))).accessToken);
    const task = await json(
      await post(url, '/tasks', { title: 'Survive a restart', area: 'Operations' }, token),
    );
    await stop();

    url = await start(env);
    const login = await post(url, '/auth/login', credentials);
    expect(login.status).toBe(200);
    token = String((await json(login)).accessToken);
    const list = await json(
      await fetch(`${url}/tasks`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(list.tasks).toEqual([
      expect.objectContaining({ id: task.id, title: 'Survive a restart' }),
    ]);
  });
});
