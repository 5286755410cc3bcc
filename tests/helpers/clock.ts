/**
 * Moving a test API's fixed clock. Access tokens are checked against the same clock (15-minute
 * lifetime, `iat` not in the future), so tests that move it sign their users in again.
 */
import type { Clock } from '../../src/utils/dates.js';
import type { TestApi, TestUser } from './api.js';

/** A clock that tests can move (`fixedClock`). */
export type MovableClock = Clock & { set(iso: string): void };

/** The password `TestApi.newUser` gives every test user. */
const PASSWORD = 'Correct-horse-9';

/** Signs `user` in again at the API clock's current time and replaces `user.token`. */
export async function relogin(api: TestApi, user: TestUser): Promise<void> {
  const res = await api.call<{ accessToken: string }>('POST', '/auth/login', {
    body: { email: user.email, password: PASSWORD },
  });
  if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  user.token = res.body.data.accessToken;
}

/** Sets `clock` to `iso` and signs `users` in again (their `token` is replaced). */
export async function travel(
  api: TestApi,
  clock: MovableClock,
  iso: string,
  ...users: TestUser[]
): Promise<void> {
  clock.set(iso);
  for (const user of users) await relogin(api, user);
}
