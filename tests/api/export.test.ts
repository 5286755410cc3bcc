/**
 * `GET /export` over HTTP on both stores: the document holds every entity, link, child and
 * ledger entry of the user, in the front end's format plus the server-only collections — and it
 * round-trips: imported into a fresh account, the export of that account is the same document
 * but for the user's ids and the export's own metadata.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { fixture, linksOf } from '../helpers/dump.js';
import { STORES } from '../helpers/stores.js';

type Doc = Record<string, Record<string, unknown>> & {
  meta: { format: string; version: number; exportedAt: string; userId: string };
};
type Counts = { created: number; updated: number; failed: number };
type Report = { totals: Counts; collections: Record<string, Counts>; ignoredKeys: string[] };

const NOW = '2026-11-29T18:00:00.000Z';

/** `doc` without what names its account or its own making: user ids, meta, the email. */
function comparable(doc: Doc, userId: string): unknown {
  const { meta: _meta, ...rest } = doc;
  return JSON.parse(JSON.stringify(rest).replaceAll(userId, '<user>'));
}

describe.each(STORES)('export on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;
  const dump = fixture();
  const call = <T>(method: string, path: string, body?: unknown, user = owner) =>
    api.call<T>(method, path, { token: user.token, body });

  beforeAll(async () => {
    // Milestones unpaid: the ledger holds exactly the entries this test writes.
    api = await startApi({
      store,
      clock: fixedClock(NOW),
      env: { AWARD_MILESTONE_POINTS: 'false' },
    });
    owner = await api.newUser('export');
    await call('PUT', '/preferences/time-zone', { timeZone: 'Europe/Berlin' });
    const imported = await call<Report>('POST', '/import/local-storage', {
      ...dump,
      gs_wallet_balance: { 'user-1': { totalPoints: 500, lifetimeEarned: 500, lifetimeSpent: 0 } },
    });
    expect(imported.body.data.totals.failed).toBe(0);
    // Use the account the way the app does, so every kind of item exists.
    const [taskId] = Object.entries(dump.gs_tasks ?? {}).find(([, t]) => t.status !== 'Done') ?? [];
    const [metricId] = Object.keys(dump.gs_metrics ?? {});
    const [goalId] = Object.keys(dump.gs_goals ?? {});
    const [entryId] = Object.keys(dump.gs_logbookEntries ?? {});
    const [rewardId] = Object.keys(dump.gs_rewards ?? {});
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await call(method, path, body);
      expect({ path, status: res.status }).toMatchObject({ path, status: expect.any(Number) });
      expect(res.status).toBeLessThan(300);
    };
    await ok('POST', `/tasks/${String(taskId)}/complete`, {});
    await ok('POST', `/rewards/${String(rewardId)}/redeem`, { notes: 'earned it' });
    await ok('POST', `/metrics/${String(metricId)}/logs`, { value: 45, note: 'long week' });
    await ok('POST', `/goals/${String(goalId)}/activity`, { type: 'note_added', title: 'Halfway' });
    await ok('POST', `/logbook/${String(entryId)}/links`, {
      entityType: 'metric',
      entityId: metricId,
    });
    await ok('POST', '/metricInsights', {
      metricId,
      type: 'pattern',
      title: 'Weekends are higher',
      description: 'More miles on Saturdays',
      confidence: 0.8,
    });
    await ok('POST', '/preferences/feature-configs/parseTask', {
      provider: 'openai',
      model: 'gpt-4o',
    });
    await ok('PUT', '/preferences/weekly-review-day', { weeklyReviewDay: 3 });
  });
  afterAll(() => api.close());

  it('holds every record, link and ledger entry in the front end’s format, versioned', async () => {
    const res = await call<Doc>('GET', '/export');
    expect(res.status).toBe(200);
    const doc = res.body.data;
    expect(doc.meta).toEqual({
      format: 'personal-os-export',
      version: 1,
      exportedAt: NOW,
      userId: owner.userId,
      email: owner.email,
    });
    for (const key of ['gs_tasks', 'gs_goals', 'gs_metrics', 'gs_habitLogs', 'gs_rewards']) {
      expect({ key, ids: Object.keys(doc[key] ?? {}).sort() }).toEqual({
        key,
        ids: Object.keys(dump[key] ?? {}).sort(),
      });
    }
    // The metric log made through the API is there too.
    expect(Object.keys(doc.gs_metricLogs ?? {})).toHaveLength(
      Object.keys(dump.gs_metricLogs ?? {}).length + 1,
    );
    for (const [relation, pairs] of Object.entries(linksOf(dump))) {
      expect({ relation, keys: Object.keys(doc[relation] ?? {}).sort() }).toEqual({
        relation,
        keys: pairs.map(([child, parent]) => `${child}#${parent}`).sort(),
      });
    }
    // Ledger: the opening balance (500), the completion, the redemption.
    const ledger = Object.values(doc.gs_wallet_transactions ?? {}) as {
      type: string;
      source: string;
    }[];
    expect(ledger.map((e) => `${e.type}/${e.source}`).sort()).toEqual([
      'adjustment/system',
      'earn/task_completion',
      'spend/reward_redemption',
    ]);
    expect(Object.values(doc.gs_reward_redemptions ?? {})).toHaveLength(1);
    expect(Object.values(doc.goalActivities ?? {}).length).toBeGreaterThan(0);
    expect(Object.values(doc.logbookLinks ?? {})).toEqual([
      expect.objectContaining({ entityType: 'metric' }),
    ]);
    expect(doc.preferences).toEqual({
      timeZone: 'Europe/Berlin',
      mode: 'work',
      weeklyReviewDay: 3,
      displayName: null,
    });
    expect(doc.featureConfigs).toEqual({ parseTask: { provider: 'openai', model: 'gpt-4o' } });
    const { meta: _meta, ...records } = doc;
    expect(JSON.stringify(records)).not.toMatch(/"(pk|sk|gsi1pk|gsi2pk|version|passwordHash)"/);
  });

  it('round-trips: imported into a fresh account, it exports the same document', async () => {
    const a = (await call<Doc>('GET', '/export')).body.data;
    const fresh = await api.newUser('roundtrip');
    const imported = await call<Report>('POST', '/import/local-storage', a, fresh);
    expect(imported.status).toBe(200);
    // Everything is created but the fresh account's preferences, which are updated.
    expect(imported.body.data.totals).toMatchObject({ updated: 1, failed: 0 });
    expect(imported.body.data.collections.preferences).toMatchObject({ updated: 1 });
    const b = (await call<Doc>('GET', '/export', undefined, fresh)).body.data;
    expect(b.meta.userId).toBe(fresh.userId);
    expect(comparable(b, fresh.userId)).toEqual(comparable(a, owner.userId));
    // And importing it once more changes nothing.
    const again = await call<Report>('POST', '/import/local-storage', a, fresh);
    expect(again.body.data.totals).toMatchObject({ created: 0, updated: 0, failed: 0 });
  });

  it('imports a whole saved response of GET /export, envelope and all', async () => {
    const saved = (await call<Doc>('GET', '/export')).body; // {success, data, error}
    const fresh = await api.newUser('enveloped');
    const imported = await call<Report>('POST', '/import/local-storage', saved, fresh);
    expect(imported.status).toBe(200);
    expect(imported.body.data.totals).toMatchObject({ failed: 0 });
    expect(imported.body.data.totals.created).toBeGreaterThan(100);
    expect(imported.body.data.ignoredKeys).not.toContain('data');
  });

  it('never shows another user’s data', async () => {
    const stranger = await api.newUser('stranger');
    const doc = (await call<Doc>('GET', '/export', undefined, stranger)).body.data;
    expect(JSON.stringify(doc)).not.toContain(owner.userId);
    for (const [key, value] of Object.entries(doc)) {
      if (key.startsWith('gs_'))
        expect({ key, n: Object.keys(value).length }).toEqual({ key, n: 0 });
    }
  });
});
