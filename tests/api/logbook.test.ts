/**
 * The logbook end to end over HTTP, against both stores: one entry per local date (409 on a
 * duplicate, also when moving an entry), lookup by id or date, date ranges, bad input, links to
 * the user's own entities, and isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPk, keys } from '../../src/db/keys.js';
import { entityItem } from '../../src/db/models.js';
import { queryAll } from '../../src/db/table.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { expectCovers, expectIsolated } from '../helpers/security.js';
import { STORES } from '../helpers/stores.js';
import { expectInvalid } from '../helpers/assertions.js';

type Entry = Record<string, unknown> & { id: string; date: string };
type Page<T> = { data: T[]; total: number; page: number; pageSize: number; hasMore: boolean };

describe.each(STORES)('logbook on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;
  const create = (body: Record<string, unknown>, user: TestUser = owner) =>
    api.call<Entry>('POST', '/logbook', { token: user.token, body });
  const list = (user: TestUser, q = '') =>
    api.call<Page<Entry>>('GET', `/logbook${q}`, { token: user.token }).then((r) => r.body.data);

  beforeAll(async () => {
    api = await startApi({ store });
    owner = await api.newUser('logbook');
  });
  afterAll(() => api.close());

  it('creates an entry, echoes energyLevel as energy, and finds it by id and by date', async () => {
    const user = await api.newUser('entry');
    const res = await create(
      { date: '2026-07-14', title: 'Good day', mood: 'High', energyLevel: 8 },
      user,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(String),
      date: '2026-07-14',
      title: 'Good day',
      notes: null,
      mood: 'High',
      energyLevel: 8,
      energy: 8,
      userId: user.userId,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const byId = await api.call<Entry>('GET', `/logbook/${res.body.data.id}`, {
      token: user.token,
    });
    const byDate = await api.call<Entry>('GET', '/logbook/2026-07-14', { token: user.token });
    expect(byId.body.data).toEqual(res.body.data);
    expect(byDate.body.data).toEqual(res.body.data);
    expect((await api.call('GET', '/logbook/2026-07-15', { token: user.token })).status).toBe(404);

    const minimal = await create({ date: '2026-07-15' }, user);
    expect(minimal.body.data).toMatchObject({
      title: null,
      notes: null,
      mood: null,
      energyLevel: null,
      energy: null,
    });
  });

  it('refuses a second entry for the same date with 409 and stores nothing', async () => {
    const user = await api.newUser('dup');
    const first = await create({ date: '2026-03-01', title: 'First' }, user);
    const second = await create({ date: '2026-03-01', title: 'Second' }, user);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'CONFLICT' });
    expect(second.body.error?.message).toContain('2026-03-01');
    const all = await list(user);
    expect(all.data.map((e) => e.id)).toEqual([first.body.data.id]);
    expect(all.data[0]?.title).toBe('First');
  });

  it('answers a double-clicked delete with one 200 and then 404s, never 500, and frees the date', async () => {
    const user = await api.newUser('double-delete');
    const entry = (await create({ date: '2026-07-14' }, user)).body.data;
    const deletes = await Promise.all(
      [1, 2, 3].map(() => api.call('DELETE', `/logbook/${entry.id}`, { token: user.token })),
    );
    expect(deletes.map((r) => r.status).sort()).toEqual([200, 404, 404]);
    expect((await create({ date: '2026-07-14' }, user)).status).toBe(201);
  });

  it('refuses bad input with 400 field details and stores nothing', async () => {
    const user = await api.newUser('bad');
    const cases: [Record<string, unknown>, string[]][] = [
      [{ date: '2026-07-14', energyLevel: 11 }, ['body', 'energyLevel']],
      [{ date: '2026-07-14', energyLevel: 0 }, ['body', 'energyLevel']],
      [{ date: '2026-07-14', energyLevel: 5.5 }, ['body', 'energyLevel']],
      [{ date: '2026-07-14', mood: 'Ecstatic' }, ['body', 'mood']],
      [{ date: '2024-02-30' }, ['body', 'date']],
      [{ date: '2026-07-14T10:00:00Z' }, ['body', 'date']],
      [{ title: 'No date' }, ['body', 'date']],
      [{ date: '2026-07-14', title: 'x'.repeat(501) }, ['body', 'title']],
    ];
    for (const [body, loc] of cases) {
      const res = await create(body, user);
      expectInvalid(res, loc, body);
    }
    expect((await list(user)).total).toBe(0);
    // Nothing reserved the date either: a valid entry for it is accepted.
    expect((await create({ date: '2026-07-14' }, user)).status).toBe(201);
    const entry = (await list(user)).data[0] as Entry;
    const badPatch = await api.call('PATCH', `/logbook/${entry.id}`, {
      token: user.token,
      body: { energyLevel: 11 },
    });
    expect(badPatch.status).toBe(400);
    expect(
      (await api.call<Entry>('GET', `/logbook/${entry.id}`, { token: user.token })).body.data
        .energyLevel,
    ).toBeNull();
  });

  it('updates partially, clears with null, and moves the date guard with the date', async () => {
    const user = await api.newUser('patch');
    const entry = (
      await create({ date: '2026-05-01', title: 'May day', notes: 'walk', energyLevel: 4 }, user)
    ).body.data;
    const other = (await create({ date: '2026-05-03' }, user)).body.data;
    const patch = (body: Record<string, unknown>) =>
      api.call<Entry>('PATCH', `/logbook/${entry.id}`, { token: user.token, body });

    const patched = await patch({ notes: null, mood: 'Steady', energyLevel: 6 });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      title: 'May day',
      notes: null,
      mood: 'Steady',
      energyLevel: 6,
      energy: 6,
      date: '2026-05-01',
    });

    const moved = await patch({ date: '2026-05-02' });
    expect(moved.body.data.date).toBe('2026-05-02');
    expect((await api.call('GET', '/logbook/2026-05-01', { token: user.token })).status).toBe(404);
    expect(
      (await api.call<Entry>('GET', '/logbook/2026-05-02', { token: user.token })).body.data.id,
    ).toBe(entry.id);
    // The old date is free again; the new one is taken.
    expect((await create({ date: '2026-05-01' }, user)).status).toBe(201);
    expect((await create({ date: '2026-05-02' }, user)).status).toBe(409);

    const clash = await patch({ date: '2026-05-03', title: 'Clash' });
    expect(clash.status).toBe(409);
    const after = await api.call<Entry>('GET', `/logbook/${entry.id}`, { token: user.token });
    expect(after.body.data).toMatchObject({ date: '2026-05-02', title: 'May day' });
    expect(
      (await api.call<Entry>('GET', '/logbook/2026-05-03', { token: user.token })).body.data.id,
    ).toBe(other.id);
  });

  it('lists a date range newest first, with paging', async () => {
    const user = await api.newUser('range');
    for (const date of ['2026-07-10', '2026-07-01', '2026-07-20', '2026-07-05'])
      await create({ date, title: date }, user);
    const dates = (page: Page<Entry>) => page.data.map((e) => e.date);
    const all = await list(user);
    expect(all).toMatchObject({ total: 4, page: 1, pageSize: 4, hasMore: false });
    expect(dates(all)).toEqual(['2026-07-20', '2026-07-10', '2026-07-05', '2026-07-01']);
    expect(dates(await list(user, '?startDate=2026-07-05&endDate=2026-07-10'))).toEqual([
      '2026-07-10',
      '2026-07-05',
    ]);
    expect(dates(await list(user, '?startDate=2026-07-06'))).toEqual(['2026-07-20', '2026-07-10']);
    expect(dates(await list(user, '?endDate=2026-07-04'))).toEqual(['2026-07-01']);
    const page2 = await list(user, '?page=2&pageSize=3');
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3, hasMore: false });
    expect(dates(page2)).toEqual(['2026-07-01']);
    expect((await list(user, '?page=1&pageSize=3')).hasMore).toBe(true);
    const bad = await api.call('GET', '/logbook?startDate=July', { token: user.token });
    expect(bad.status).toBe(400);
    // A range that ends before it starts is a mistake in the request (DynamoDB itself refuses a
    // BETWEEN whose bounds are the wrong way round).
    expectInvalid(
      await api.call('GET', '/logbook?startDate=2026-07-10&endDate=2026-07-05', {
        token: user.token,
      }),
      ['query', 'endDate'],
    );
  });

  it('links to the user’s own entities, lists and unlinks them by entity id', async () => {
    const user = await api.newUser('links');
    const stranger = await api.newUser('stranger');
    const entry = (await create({ date: '2026-08-01' }, user)).body.data;
    const task = (
      await api.call<{ id: string }>('POST', '/tasks', {
        token: user.token,
        body: { title: 'Write', area: 'Day Job' },
      })
    ).body.data;
    const strangerTask = (
      await api.call<{ id: string }>('POST', '/tasks', {
        token: stranger.token,
        body: { title: 'Theirs', area: 'Love' },
      })
    ).body.data;
    // Goals and habits have no routes in this branch: store them directly.
    const now = new Date().toISOString();
    for (const [type, id] of [
      ['GOAL', 'goal-1'],
      ['HABIT', 'habit-1'],
    ] as const) {
      await api.deps.db.put(
        entityItem(type, { id, userId: user.userId, createdAt: now, updatedAt: now }, 1),
      );
    }
    const link = (entityType: string, entityId: string) =>
      api.call('POST', `/logbook/${entry.id}/links`, {
        token: user.token,
        body: { entityType, entityId },
      });
    const links = () =>
      api
        .call<Page<{ entityType: string; entityId: string }>>('GET', `/logbook/${entry.id}/links`, {
          token: user.token,
        })
        .then((r) => r.body.data);

    expect((await link('task', task.id)).status).toBe(200);
    expect((await link('task', task.id)).status).toBe(200); // twice: still one link
    expect((await link('goal', 'goal-1')).status).toBe(200);
    expect((await link('habit', 'habit-1')).status).toBe(200);
    expect((await link('project', 'no-such-project')).status).toBe(404);
    expect((await link('task', strangerTask.id)).status).toBe(404);
    expect((await link('goal', 'habit-1')).status).toBe(404); // right id, wrong type
    expect((await link('spaceship', task.id)).status).toBe(400);
    const self = await link('logbook', entry.id);
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({
      success: false,
      error: { code: 'CONFLICT', message: 'A logbook entry cannot link to itself' },
    });
    const listed = await links();
    expect(listed).toMatchObject({ total: 3, hasMore: false });
    expect(listed.data).toEqual([
      { entityType: 'goal', entityId: 'goal-1' },
      { entityType: 'habit', entityId: 'habit-1' },
      { entityType: 'task', entityId: task.id },
    ]);

    const unlink = (entityId: string) =>
      api.call('DELETE', `/logbook/${entry.id}/links/${entityId}`, { token: user.token });
    expect((await unlink('habit-1')).status).toBe(200);
    expect((await unlink('habit-1')).status).toBe(404);
    // A deleted entity drops out of the list.
    await api.call('DELETE', `/tasks/${task.id}`, { token: user.token });
    expect((await links()).data).toEqual([{ entityType: 'goal', entityId: 'goal-1' }]);

    // Deleting the entry removes its links and frees its date.
    expect((await api.call('DELETE', `/logbook/${entry.id}`, { token: user.token })).status).toBe(
      200,
    );
    expect(await queryAll(api.deps.db, { pk: childPk(user.userId, 'LOGBOOK', entry.id) })).toEqual(
      [],
    );
    expect(await api.deps.db.get(keys.logbookDate(user.userId, '2026-08-01'))).toBeNull();
    expect((await api.call('GET', `/logbook/${entry.id}`, { token: user.token })).status).toBe(404);
    expect((await create({ date: '2026-08-01' }, user)).status).toBe(201);
  });

  it('isolates users: 404 on every logbook route with another user’s ids, and empty lists', async () => {
    const intruder = await api.newUser('intruder');
    const entry = (await create({ date: '2026-09-09', title: 'Private' })).body.data;
    const task = (
      await api.call<{ id: string }>('POST', '/tasks', {
        token: owner.token,
        body: { title: 'Mine', area: 'Love' },
      })
    ).body.data;
    await api.call('POST', `/logbook/${entry.id}/links`, {
      token: owner.token,
      body: { entityType: 'task', entityId: task.id },
    });
    const cases = [
      { method: 'GET', path: `/logbook/${entry.id}` },
      { method: 'GET', path: '/logbook/2026-09-09' },
      { method: 'PATCH', path: `/logbook/${entry.id}`, body: { title: 'Hacked' } },
      { method: 'GET', path: `/logbook/${entry.id}/links` },
      {
        method: 'POST',
        path: `/logbook/${entry.id}/links`,
        body: { entityType: 'task', entityId: task.id },
      },
      { method: 'DELETE', path: `/logbook/${entry.id}/links/${task.id}` },
      { method: 'DELETE', path: `/logbook/${entry.id}` },
    ] as const;
    await expectIsolated(api, intruder, [...cases]);
    // The intruder's own entry cannot link to the owner's task.
    const own = (await create({ date: '2026-09-09' }, intruder)).body.data;
    const cross = await api.call('POST', `/logbook/${own.id}/links`, {
      token: intruder.token,
      body: { entityType: 'task', entityId: task.id },
    });
    expect(cross.status).toBe(404);
    expect((await list(intruder)).data.map((e) => e.id)).toEqual([own.id]);
    // Nothing of the owner's changed.
    const after = await api.call<Entry>('GET', `/logbook/${entry.id}`, { token: owner.token });
    expect(after.body.data).toMatchObject({ title: 'Private', date: '2026-09-09' });
    expect(
      (
        await api.call<Page<unknown>>('GET', `/logbook/${entry.id}/links`, {
          token: owner.token,
        })
      ).body.data.total,
    ).toBe(1);
    await expectCovers(api, ['/logbook'], [...cases], ['GET /logbook', 'POST /logbook']);
  });
});
