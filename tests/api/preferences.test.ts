/**
 * Preferences over HTTP (X4–X9), against both stores: defaults, canonical zone names, bad input
 * → 400 with nothing stored, and isolation (each user sees and changes only their own).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { expectCovers } from '../helpers/security.js';
import { STORES } from '../helpers/stores.js';

describe.each(STORES)('preferences on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;
  const get = (path: string, user = owner) => api.call('GET', path, { token: user.token });

  beforeAll(async () => {
    api = await startApi({ store });
    owner = await api.newUser('prefs');
  });
  afterAll(() => api.close());

  it('answers the defaults for a user who never chose', async () => {
    expect((await get('/preferences/mode')).body.data).toEqual({ mode: 'work' });
    expect((await get('/preferences/time-zone')).body.data).toEqual({ timeZone: 'UTC' });
    expect((await get('/preferences/weekly-review-day')).body.data).toEqual({
      weeklyReviewDay: 0,
    });
  });

  it('stores each preference; zones come back in canonical case', async () => {
    const mode = await api.call('POST', '/preferences/mode', {
      token: owner.token,
      body: { mode: 'leisure' },
    });
    expect(mode.status).toBe(200);
    expect(mode.body).toEqual({ success: true, data: null, error: null });
    expect((await get('/preferences/mode')).body.data).toEqual({ mode: 'leisure' });

    for (const [sent, stored] of [
      ['asia/kolkata', 'Asia/Kolkata'],
      ['UTC', 'UTC'],
      ['Europe/Kyiv', 'Europe/Kyiv'],
      ['America/Los_Angeles', 'America/Los_Angeles'],
    ]) {
      const put = await api.call('PUT', '/preferences/time-zone', {
        token: owner.token,
        body: { timeZone: sent },
      });
      expect(put.body.data).toEqual({ timeZone: stored });
    }
    expect((await get('/preferences/time-zone')).body.data).toEqual({
      timeZone: 'America/Los_Angeles',
    });
    const day = await api.call('PUT', '/preferences/weekly-review-day', {
      token: owner.token,
      body: { weeklyReviewDay: 6 },
    });
    expect(day.body.data).toEqual({ weeklyReviewDay: 6 });
    // The profile is the same item /auth/me shows.
    const me = await api.call<{ timeZone: string }>('GET', '/auth/me', { token: owner.token });
    expect(me.body.data.timeZone).toBe('America/Los_Angeles');
  });

  it('refuses an unknown zone, mode or day with 400 and keeps the old value', async () => {
    const user = await api.newUser('prefs-bad');
    const cases: [string, string, unknown, string[]][] = [
      ['PUT', '/preferences/time-zone', { timeZone: 'Mars/Olympus_Mons' }, ['body', 'timeZone']],
      ['PUT', '/preferences/time-zone', { timeZone: '' }, ['body', 'timeZone']],
      // A UTC offset is not an IANA zone (it would have no daylight saving rules).
      ['PUT', '/preferences/time-zone', { timeZone: '+14:00' }, ['body', 'timeZone']],
      ['PUT', '/preferences/time-zone', { timeZone: '-23:59' }, ['body', 'timeZone']],
      ['PUT', '/preferences/time-zone', {}, ['body', 'timeZone']],
      ['POST', '/preferences/mode', { mode: 'party' }, ['body', 'mode']],
      [
        'PUT',
        '/preferences/weekly-review-day',
        { weeklyReviewDay: 7 },
        ['body', 'weeklyReviewDay'],
      ],
      [
        'PUT',
        '/preferences/weekly-review-day',
        { weeklyReviewDay: 1.5 },
        ['body', 'weeklyReviewDay'],
      ],
    ];
    for (const [method, path, body, loc] of cases) {
      const res = await api.call(method, path, { token: user.token, body });
      expect({ path, body, status: res.status, code: res.body.error?.code }).toEqual({
        path,
        body,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
      expect(res.body.error?.details).toEqual([expect.objectContaining({ loc })]);
    }
    expect((await get('/preferences/time-zone', user)).body.data).toEqual({ timeZone: 'UTC' });
    expect((await get('/preferences/mode', user)).body.data).toEqual({ mode: 'work' });
    expect((await get('/preferences/weekly-review-day', user)).body.data).toEqual({
      weeklyReviewDay: 0,
    });
  });

  it('isolates users: each reads and writes only their own preferences', async () => {
    const alice = await api.newUser('alice');
    const bob = await api.newUser('bob');
    await api.call('PUT', '/preferences/time-zone', {
      token: alice.token,
      body: { timeZone: 'Asia/Tokyo' },
    });
    await api.call('POST', '/preferences/mode', { token: alice.token, body: { mode: 'leisure' } });
    await api.call('PUT', '/preferences/weekly-review-day', {
      token: alice.token,
      body: { weeklyReviewDay: 3 },
    });
    expect((await get('/preferences/time-zone', bob)).body.data).toEqual({ timeZone: 'UTC' });
    expect((await get('/preferences/mode', bob)).body.data).toEqual({ mode: 'work' });
    expect((await get('/preferences/weekly-review-day', bob)).body.data).toEqual({
      weeklyReviewDay: 0,
    });
    await api.call('PUT', '/preferences/time-zone', {
      token: bob.token,
      body: { timeZone: 'Europe/Berlin' },
    });
    await api.call('POST', '/preferences/mode', { token: bob.token, body: { mode: 'work' } });
    await api.call('PUT', '/preferences/weekly-review-day', {
      token: bob.token,
      body: { weeklyReviewDay: 5 },
    });
    expect((await get('/preferences/time-zone', alice)).body.data).toEqual({
      timeZone: 'Asia/Tokyo',
    });
    expect((await get('/preferences/mode', alice)).body.data).toEqual({ mode: 'leisure' });
    expect((await get('/preferences/weekly-review-day', alice)).body.data).toEqual({
      weeklyReviewDay: 3,
    });
    // No route takes an id: every one is covered by the per-user checks above.
    // (/preferences/feature-configs belongs to the AI domain and its own test.)
    await expectCovers(
      api,
      ['/preferences/mode', '/preferences/time-zone', '/preferences/weekly-review-day'],
      [],
      [
        'GET /preferences/mode',
        'POST /preferences/mode',
        'GET /preferences/time-zone',
        'PUT /preferences/time-zone',
        'GET /preferences/weekly-review-day',
        'PUT /preferences/weekly-review-day',
      ],
    );
  });
});
