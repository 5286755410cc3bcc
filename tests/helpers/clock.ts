/** Helpers for tests that move the API's fixed clock. */
import type { TestApi, TestUser } from './api.js';

/**
 * Signs `user` in again at the API clock's current time: access tokens live 15 minutes of that
 * clock, so a test that moves it days ahead needs a fresh token. Updates `user.token`.
 */
export async function relogin(api: TestApi, user: TestUser): Promise<void> {
  const res = await api.call<{ accessToken: string }>('POST', '/auth/login', {
    body: { email: user.email, password: 'Correct-horse-9' },
  });
  if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  user.token = res.body.data.accessToken;
}
