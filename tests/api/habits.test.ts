/**
 * Habits end to end over HTTP, against both stores, on the user's local calendar: CRUD, logs
 * with either body, the `date` rule of §e.10, streaks in Los Angeles, Kolkata, Berlin across a
 * DST change and for a user who changes zone, stats, heatmap, today's list, bad input and
 * isolation. Plus a habit with 10,000 logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPk } from '../../src/db/keys.js';
import { queryAll } from '../../src/db/table.js';
import { habitLogItem } from '../../src/services/habits/logs.js';
import { addDays, fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { travel } from '../helpers/clock.js';
import { expectCovers, expectIsolated } from '../helpers/security.js';
import { STORES } from '../helpers/stores.js';

type Habit = Record<string, unknown> & { id: string; name: string };
type Log = {
  id: string;
  date: string;
  completedAt: string;
  amount: number | null;
  notes: string | null;
};
type Stats = {
  total: number;
  last7Days: number;
  last30Days: number;
  currentStreak: number;
  longestStreak: number;
  strength: number;
};
type Page<T> = { data: T[]; total: number; page: number; pageSize: number; hasMore: boolean };
type Today = { habitId: string; name: string; completed: boolean; date: string };

describe.each(STORES)('habits on %s', (store) => {
  let api: TestApi;
  const clock = fixedClock('2026-07-15T18:00:00.000Z');
  const create = (user: TestUser, body: Record<string, unknown>) =>
    api.call<Habit>('POST', '/habits', {
      token: user.token,
      body: { area: 'Health', habitType: 'Build', frequency: 'Daily', ...body },
    });
  const logHabit = (user: TestUser, id: string, body: Record<string, unknown>) =>
    api.call<Log>('POST', `/habits/${id}/logs`, { token: user.token, body });
  const get = <T>(user: TestUser, path: string) =>
    api.call<T>('GET', path, { token: user.token }).then((r) => r.body.data);
  const setZone = (user: TestUser, timeZone: string) =>
    api.call('PUT', '/preferences/time-zone', { token: user.token, body: { timeZone } });
  /** A user at `iso` (the clock moves there), in `timeZone`. */
  const userAt = async (iso: string, timeZone: string, prefix: string) => {
    await travel(api, clock, iso);
    const user = await api.newUser(prefix);
    await setZone(user, timeZone);
    return user;
  };

  beforeAll(async () => {
    api = await startApi({ store, clock });
  });
  afterAll(() => api.close());

  it('creates a habit with the loop fields and targets; PATCH is partial; null clears', async () => {
    const user = await userAt('2026-07-15T18:00:00.000Z', 'UTC', 'habit-crud');
    const res = await create(user, {
      name: 'Drink water',
      dailyTarget: 8,
      intent: 'Stay hydrated',
      trigger: 'After each meeting',
      action: 'Drink a glass',
      reward: 'Feel fresh',
      frictionDown: 'Bottle on the desk',
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      name: 'Drink water',
      area: 'Health',
      habitType: 'Build',
      frequency: 'Daily',
      dailyTarget: 8,
      weeklyTarget: null,
      intent: 'Stay hydrated',
      trigger: 'After each meeting',
      action: 'Drink a glass',
      reward: 'Feel fresh',
      frictionUp: null,
      frictionDown: 'Bottle on the desk',
      description: null,
      subCategory: null,
      notes: null,
      status: 'Active',
      goalIds: [],
      userId: user.userId,
    });
    expect(res.body.data).not.toHaveProperty('pk');
    expect(res.body.data).not.toHaveProperty('version');
    const id = res.body.data.id;
    expect(await get(user, `/habits/${id}`)).toEqual(res.body.data);
    const patched = await api.call<Habit>('PATCH', `/habits/${id}`, {
      token: user.token,
      body: { dailyTarget: null, frictionDown: null, frequency: 'Weekly', weeklyTarget: 3 },
    });
    expect(patched.body.data).toMatchObject({
      name: 'Drink water',
      intent: 'Stay hydrated',
      dailyTarget: null,
      frictionDown: null,
      frequency: 'Weekly',
      weeklyTarget: 3,
    });
    await create(user, { name: 'Meditate', area: 'Happiness', status: 'Paused' });
    const list = (q: string) =>
      get<Page<Habit>>(user, `/habits${q}`).then((p) => p.data.map((h) => h.name));
    expect(await list('')).toEqual(['Meditate', 'Drink water']);
    expect(await list('?area=Happiness')).toEqual(['Meditate']);
    expect(await list('?status=Active')).toEqual(['Drink water']);
  });

  it('refuses bad input with 400 field details and stores nothing', async () => {
    const user = await userAt('2026-07-15T18:00:00.000Z', 'UTC', 'habit-bad');
    const creates: [Record<string, unknown>, string][] = [
      [{ name: 'x', frequency: 'Hourly' }, 'frequency'],
      [{ name: 'x', habitType: 'Stop' }, 'habitType'],
      [{ name: 'x', dailyTarget: -1 }, 'dailyTarget'],
      [{ name: 'x', dailyTarget: 'lots' }, 'dailyTarget'],
      // Positive, but below the smallest magnitude DynamoDB stores (10^−130).
      [{ name: 'x', dailyTarget: 5e-324 }, 'dailyTarget'],
      [{ name: '' }, 'name'],
    ];
    for (const [body, field] of creates) {
      const res = await create(user, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error?.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ loc: ['body', field] })]),
      );
    }
    expect((await get<Page<Habit>>(user, '/habits')).total).toBe(0);
    const habit = (await create(user, { name: 'Stretch' })).body.data;
    const logs: [Record<string, unknown>, string][] = [
      [{ completed: true, date: '2024-02-30' }, 'date'],
      [{ completed: false, date: '2026-07-15' }, 'completed'],
      [{ completedAt: '2026-07-15T10:00:00' }, 'completedAt'],
      [{ completedAt: '2026-07-15T10:00:00Z', date: '2026-07-15' }, 'date'],
      [{ date: '2026-07-17' }, 'date'], // a future day
      [{ completedAt: '2026-07-16T01:00:00Z' }, 'completedAt'],
      [{ amount: 0 }, 'amount'],
      [{ amount: 1e-200 }, 'amount'],
      // 23:30Z on December 31 of year −1, and 04:00Z on January 1 of year 10000: no fixed-width
      // instant, no local date (stored, they broke the habit's stats and log list for good).
      [{ completedAt: '0000-01-01T00:30:00+01:00' }, 'completedAt'],
      [{ completedAt: '9999-12-31T23:00:00-05:00' }, 'completedAt'],
    ];
    for (const [body, field] of logs) {
      const res = await logHabit(user, habit.id, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error?.details).toEqual([expect.objectContaining({ loc: ['body', field] })]);
    }
    for (const [path, loc] of [
      [`/habits/${habit.id}/heatmap?year=2026&startDate=2026-01-01`, ['query', 'year']],
      [`/habits/${habit.id}/heatmap?startDate=2026-02-30`, ['query', 'startDate']],
      [`/habits/${habit.id}/logs?startDate=2026-07-10&endDate=2026-07-01`, ['query', 'endDate']],
    ] as const) {
      const res = await api.call('GET', path, { token: user.token });
      expect(res.status).toBe(400);
      expect(res.body.error?.details).toEqual([expect.objectContaining({ loc })]);
    }
    const badDelete = await api.call('DELETE', `/habits/${habit.id}/logs/2024-02-30`, {
      token: user.token,
    });
    expect(badDelete.status).toBe(400);
    expect((await get<Page<Log>>(user, `/habits/${habit.id}/logs`)).total).toBe(0);
  });

  it('counts a streak of 3 for a Los Angeles user who logs at 20:00, 23:30 and 08:00 local', async () => {
    // 20:00 on July 13 in Los Angeles (PDT, UTC−7) is 03:00 UTC on July 14.
    const user = await userAt('2026-07-14T03:00:00.000Z', 'America/Los_Angeles', 'la');
    const habit = (await create(user, { name: 'Journal' })).body.data;
    // The shipped client sends the UTC calendar day of "now": July 14. It means now → July 13 local.
    const first = await logHabit(user, habit.id, { completed: true, date: '2026-07-14' });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({
      date: '2026-07-13',
      completedAt: '2026-07-14T03:00:00.000Z',
      amount: null,
      notes: null,
    });
    // 23:30 on July 14 local = 06:30 UTC on July 15, sent as an instant.
    await travel(api, clock, '2026-07-15T06:30:00.000Z', user);
    const second = await logHabit(user, habit.id, {
      completedAt: '2026-07-14T23:30:00-07:00',
      notes: 'late',
    });
    expect(second.body.data).toMatchObject({ date: '2026-07-14', notes: 'late' });
    // 08:00 on July 15 local = 15:00 UTC; the client sends "2026-07-15" (UTC today) → now.
    await travel(api, clock, '2026-07-15T15:00:00.000Z', user);
    const third = await logHabit(user, habit.id, { completed: true, date: '2026-07-15' });
    expect(third.body.data).toMatchObject({
      date: '2026-07-15',
      completedAt: '2026-07-15T15:00:00.000Z',
    });
    const stats = await get<Stats>(user, `/habits/${habit.id}/stats`);
    // By UTC days these would be July 14, 15, 15: a streak of 2.
    expect(stats).toMatchObject({ total: 3, last7Days: 3, currentStreak: 3, longestStreak: 3 });
    expect(await get(user, `/habits/${habit.id}/heatmap`)).toEqual({
      '2026-07-13': 1,
      '2026-07-14': 1,
      '2026-07-15': 1,
    });
    // A start after today without an end: the range (start … today) is empty.
    expect(await get(user, `/habits/${habit.id}/heatmap?startDate=2026-07-16`)).toEqual({});
    expect((await get<Page<Today>>(user, '/habits/today')).data).toEqual([
      { habitId: habit.id, name: 'Journal', completed: true, date: '2026-07-15' },
    ]);
    // Any other date is the local date itself, at noon local time (12:00 PDT = 19:00Z).
    const older = await logHabit(user, habit.id, { completed: true, date: '2026-07-10' });
    expect(older.body.data).toMatchObject({
      date: '2026-07-10',
      completedAt: '2026-07-10T19:00:00.000Z',
    });
    const logs = await get<Page<Log>>(user, `/habits/${habit.id}/logs`);
    expect(logs.data.map((l) => l.date)).toEqual([
      '2026-07-15',
      '2026-07-14',
      '2026-07-13',
      '2026-07-10',
    ]);
    const ranged = await get<Page<Log>>(
      user,
      `/habits/${habit.id}/logs?startDate=2026-07-11&endDate=2026-07-14`,
    );
    expect(ranged.data.map((l) => l.date)).toEqual(['2026-07-14', '2026-07-13']);
  });

  it('splits days at local midnight in Kolkata (UTC+05:30)', async () => {
    // 23:30 on July 14 IST = 18:00Z; 00:30 on July 15 IST = 19:00Z: one UTC day, two local days.
    const user = await userAt('2026-07-14T18:00:00.000Z', 'Asia/Kolkata', 'kolkata');
    const habit = (await create(user, { name: 'Read' })).body.data;
    expect((await logHabit(user, habit.id, {})).body.data.date).toBe('2026-07-14');
    await travel(api, clock, '2026-07-14T19:00:00.000Z', user);
    expect((await logHabit(user, habit.id, {})).body.data.date).toBe('2026-07-15');
    const stats = await get<Stats>(user, `/habits/${habit.id}/stats`);
    expect(stats).toMatchObject({ total: 2, currentStreak: 2, longestStreak: 2 });
    // 10:00 IST on July 16, not yet logged: the day is still open, so the streak holds…
    await travel(api, clock, '2026-07-16T04:30:00.000Z', user);
    expect((await get<Stats>(user, `/habits/${habit.id}/stats`)).currentStreak).toBe(2);
    // …and once July 16 has passed without a log it is broken.
    await travel(api, clock, '2026-07-17T04:00:00.000Z', user);
    expect(await get<Stats>(user, `/habits/${habit.id}/stats`)).toMatchObject({
      currentStreak: 0,
      longestStreak: 2,
    });
  });

  it('keeps local days across the spring DST change in Berlin', async () => {
    // 23:30 local on March 28 (CET, UTC+1) = 22:30Z; on March 29 (CEST, UTC+2) = 21:30Z.
    const user = await userAt('2026-03-28T22:30:00.000Z', 'Europe/Berlin', 'berlin');
    const habit = (await create(user, { name: 'Floss' })).body.data;
    const at = async (iso: string) => {
      await travel(api, clock, iso, user);
      return (await logHabit(user, habit.id, { completedAt: iso })).body.data.date;
    };
    expect(await at('2026-03-28T22:30:00.000Z')).toBe('2026-03-28');
    expect(await at('2026-03-29T21:30:00.000Z')).toBe('2026-03-29');
    expect(await at('2026-03-30T21:30:00.000Z')).toBe('2026-03-30');
    // The client's date for the DST day itself: noon CEST = 10:00Z.
    const dayOf = await logHabit(user, habit.id, { completed: true, date: '2026-03-29' });
    expect(dayOf.body.data).toMatchObject({
      date: '2026-03-29',
      completedAt: '2026-03-29T10:00:00.000Z',
    });
    // 10:00 local on March 31, not yet logged: the streak of 3 holds; the 29th has two logs.
    await travel(api, clock, '2026-03-31T08:00:00.000Z', user);
    expect(await get<Stats>(user, `/habits/${habit.id}/stats`)).toMatchObject({
      total: 4,
      currentStreak: 3,
      longestStreak: 3,
    });
    expect(await get(user, `/habits/${habit.id}/heatmap?year=2026`)).toEqual({
      '2026-03-28': 1,
      '2026-03-29': 2,
      '2026-03-30': 1,
    });
  });

  it('keeps the local date of old logs when the user changes zone', async () => {
    // 20:00 on July 13 in Los Angeles.
    const user = await userAt('2026-07-14T03:00:00.000Z', 'America/Los_Angeles', 'mover');
    const habit = (await create(user, { name: 'Walk' })).body.data;
    expect((await logHabit(user, habit.id, {})).body.data.date).toBe('2026-07-13');
    // The user flies to Tokyo: 03:00Z on July 14 is already 12:00 on July 14 there.
    await setZone(user, 'Asia/Tokyo');
    const tokyo = await logHabit(user, habit.id, {});
    expect(tokyo.body.data.date).toBe('2026-07-14');
    const logs = await get<Page<Log>>(user, `/habits/${habit.id}/logs`);
    // The first log is 12:00 on July 14 in Tokyo, but stays on July 13, its day when written.
    expect(logs.data.map((l) => l.date)).toEqual(['2026-07-14', '2026-07-13']);
    expect(await get<Stats>(user, `/habits/${habit.id}/stats`)).toMatchObject({
      currentStreak: 2,
      longestStreak: 2,
    });
  });

  it('sums amounts toward the daily target; duplicates do not extend a streak; deleting a day recomputes', async () => {
    const user = await userAt('2026-07-13T08:00:00.000Z', 'UTC', 'targets');
    const water = (await create(user, { name: 'Water', dailyTarget: 8 })).body.data;
    const run = (await create(user, { name: 'Run' })).body.data;
    await logHabit(user, water.id, { amount: 5 });
    await logHabit(user, water.id, { amount: 3 }); // July 13: 8 ✓
    await logHabit(user, run.id, {});
    await logHabit(user, run.id, {}); // a duplicate on July 13
    await travel(api, clock, '2026-07-14T08:00:00.000Z', user);
    await logHabit(user, water.id, { amount: 4 }); // July 14: 4 of 8, still open
    await logHabit(user, run.id, {});
    const today = await get<Page<Today>>(user, '/habits/today');
    expect(today.data).toEqual([
      { habitId: water.id, name: 'Water', completed: false, date: '2026-07-14' },
      { habitId: run.id, name: 'Run', completed: true, date: '2026-07-14' },
    ]);
    expect(await get<Stats>(user, `/habits/${water.id}/stats`)).toMatchObject({
      total: 3,
      currentStreak: 1, // the 13th; the 14th is still open
      longestStreak: 1,
    });
    expect(await get<Stats>(user, `/habits/${run.id}/stats`)).toMatchObject({
      total: 3,
      currentStreak: 2, // 13th (twice) and 14th: two days, not three
    });
    const removed = await api.call('DELETE', `/habits/${run.id}/logs/2026-07-13`, {
      token: user.token,
    });
    expect(removed.status).toBe(200);
    expect(await get<Stats>(user, `/habits/${run.id}/stats`)).toMatchObject({
      total: 1,
      currentStreak: 1,
      longestStreak: 1,
    });
    const again = await api.call('DELETE', `/habits/${run.id}/logs/2026-07-13`, {
      token: user.token,
    });
    expect(again.status).toBe(404);
  });

  it('lists weekly habits as due until the week’s target is met, and scores strength', async () => {
    // Wednesday, July 15 2026; the week began on Monday, July 13.
    const user = await userAt('2026-07-13T09:00:00.000Z', 'UTC', 'weekly');
    const gym = (await create(user, { name: 'Gym', frequency: 'Weekly', weeklyTarget: 2 })).body
      .data;
    const call = (await create(user, { name: 'Call mom', frequency: 'Weekly' })).body.data;
    const names = async () =>
      (await get<Page<Today>>(user, '/habits/today')).data.map((t) => `${t.name}:${t.completed}`);
    expect(await names()).toEqual(['Gym:false', 'Call mom:false']);
    await logHabit(user, call.id, {}); // Monday: the week's 1 call is done today
    expect(await names()).toEqual(['Gym:false', 'Call mom:true']);
    await travel(api, clock, '2026-07-14T09:00:00.000Z', user);
    expect(await names()).toEqual(['Gym:false']); // met on Monday: not due on Tuesday
    await logHabit(user, gym.id, {});
    await travel(api, clock, '2026-07-15T09:00:00.000Z', user);
    expect(await names()).toEqual(['Gym:false']);
    await logHabit(user, gym.id, {});
    expect(await names()).toEqual(['Gym:true']);
    // Weekly streak in weeks: this week's target is met → 1.
    // Strength: f = 2/7, window 7 days: checkmarks 1/2 (Tue), 1 (Wed) → 4 after rounding.
    const m = 0.5 ** (Math.sqrt(2 / 7) / 13);
    const strength = Math.round(((1 / 2) * (1 - m) * m + (1 - m)) * 100);
    expect(await get<Stats>(user, `/habits/${gym.id}/stats`)).toMatchObject({
      total: 2,
      currentStreak: 1,
      longestStreak: 1,
      strength,
    });
    expect(strength).toBe(4);
  });

  it('scores a daily habit done 13 days in a row at strength 50', async () => {
    const user = await userAt('2026-07-01T09:00:00.000Z', 'UTC', 'strength');
    const habit = (await create(user, { name: 'Push-ups' })).body.data;
    for (let i = 0; i < 13; i++) {
      const date = addDays('2026-07-01', i);
      await travel(api, clock, `${date}T09:00:00.000Z`, user);
      await logHabit(user, habit.id, {});
    }
    // 1 − 0.5^(13/13) = 0.5
    expect(await get<Stats>(user, `/habits/${habit.id}/stats`)).toMatchObject({
      total: 13,
      last7Days: 7,
      last30Days: 13,
      currentStreak: 13,
      strength: 50,
    });
  });

  it('deletes a habit with its logs', async () => {
    const user = await userAt('2026-07-15T09:00:00.000Z', 'UTC', 'habit-delete');
    const habit = (await create(user, { name: 'Temporary' })).body.data;
    await logHabit(user, habit.id, {});
    expect((await api.call('DELETE', `/habits/${habit.id}`, { token: user.token })).status).toBe(
      200,
    );
    expect((await api.call('GET', `/habits/${habit.id}`, { token: user.token })).status).toBe(404);
    expect(await queryAll(api.deps.db, { pk: childPk(user.userId, 'HABIT', habit.id) })).toEqual(
      [],
    );
    expect((await get<Page<Today>>(user, '/habits/today')).total).toBe(0);
  });

  it('isolates users: 404 on every habit route with another user’s ids, and empty lists', async () => {
    const owner = await userAt('2026-07-15T09:00:00.000Z', 'UTC', 'habit-owner');
    const intruder = await api.newUser('habit-intruder');
    const habit = (await create(owner, { name: 'Private habit' })).body.data;
    await logHabit(owner, habit.id, {});
    const cases = [
      { method: 'GET', path: `/habits/${habit.id}` },
      { method: 'PATCH', path: `/habits/${habit.id}`, body: { name: 'Hacked' } },
      { method: 'GET', path: `/habits/${habit.id}/logs` },
      {
        method: 'POST',
        path: `/habits/${habit.id}/logs`,
        body: { completed: true, date: '2026-07-15' },
      },
      { method: 'DELETE', path: `/habits/${habit.id}/logs/2026-07-15` },
      { method: 'GET', path: `/habits/${habit.id}/stats` },
      { method: 'GET', path: `/habits/${habit.id}/heatmap` },
      { method: 'DELETE', path: `/habits/${habit.id}` },
    ] as const;
    await expectIsolated(api, intruder, [...cases]);
    expect((await get<Page<Habit>>(intruder, '/habits')).total).toBe(0);
    expect((await get<Page<Today>>(intruder, '/habits/today')).total).toBe(0);
    expect(await get<Habit>(owner, `/habits/${habit.id}`)).toMatchObject({ name: 'Private habit' });
    expect((await get<Stats>(owner, `/habits/${habit.id}/stats`)).total).toBe(1);
    await expectCovers(
      api,
      ['/habits'],
      [...cases],
      ['GET /habits', 'POST /habits', 'GET /habits/today'],
    );
  });
});

describe('a habit with 10,000 logs', () => {
  it('serves stats and the heatmap from the whole history', async () => {
    const api = await startApi({ store: 'sqlite', clock: fixedClock('2026-07-15T12:00:00.000Z') });
    const user = await api.newUser('big-habit');
    const habit = (
      await api.call<Habit>('POST', '/habits', {
        token: user.token,
        body: {
          name: 'Sips',
          area: 'Health',
          habitType: 'Build',
          frequency: 'Daily',
          dailyTarget: 5,
        },
      })
    ).body.data;
    // 5 logs a day on the 2,000 days ending today (2021-01-22 … 2026-07-15).
    const items = Array.from({ length: 10_000 }, (_, i) => {
      const localDate = addDays('2026-07-15', -Math.floor(i / 5));
      return habitLogItem({
        id: `log-${String(i).padStart(5, '0')}`,
        habitId: habit.id,
        userId: user.userId,
        completedAt: `${localDate}T12:00:00.000Z`,
        localDate,
        amount: null,
        notes: null,
        createdAt: `${localDate}T12:00:00.000Z`,
      });
    });
    await api.deps.db.batchWrite({ put: items });
    const stats = (await api.call<Stats>('GET', `/habits/${habit.id}/stats`, { token: user.token }))
      .body.data;
    expect(stats).toEqual({
      total: 10_000,
      last7Days: 35,
      last30Days: 150,
      currentStreak: 2000,
      longestStreak: 2000,
      strength: 100, // 1 − 0.5^(2000/13) rounds to 1
    });
    const heatmap = (
      await api.call<Record<string, number>>('GET', `/habits/${habit.id}/heatmap?year=2025`, {
        token: user.token,
      })
    ).body.data;
    expect(Object.keys(heatmap)).toHaveLength(365);
    expect(Object.values(heatmap).every((n) => n === 5)).toBe(true);
    await api.close();
  });
});
