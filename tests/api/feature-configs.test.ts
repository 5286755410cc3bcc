/**
 * AI feature configs (API_CONTRACT.md X10–X12, §d.3) over HTTP against both stores: defaults for
 * all 42 features, choosing and resetting a feature's provider/model, bad input, isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, userPk } from '../../src/db/keys.js';
import { queryAll } from '../../src/db/table.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { expectCovers } from '../helpers/security.js';
import { STORES } from '../helpers/stores.js';

type Config = { provider: string; model: string };
const HAIKU = { provider: 'anthropic', model: 'claude-3-5-haiku-20241022' };
const SONNET = { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022' };
const BASE = '/preferences/feature-configs';

describe.each(STORES)('feature configs on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;
  const get = (user: TestUser = owner) =>
    api.call<Record<string, Config>>('GET', BASE, { token: user.token });

  beforeAll(async () => {
    api = await startApi({ store });
    owner = await api.newUser('features');
  });
  afterAll(() => api.close());

  it('answers every one of the 42 features with the contract defaults', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    const configs = res.body.data;
    expect(Object.keys(configs)).toHaveLength(42);
    // §d.3: Haiku for the 11 light features, Sonnet for the other 31.
    const light = Object.entries(configs).filter(([, c]) => c.model === HAIKU.model);
    expect(light.map(([f]) => f).sort()).toEqual(
      [
        'parseTask',
        'effortEstimation',
        'taskCategorization',
        'metricTargets',
        'connectionSuggestions',
        'noteExpand',
        'noteSummarize',
        'noteTagSuggest',
        'noteAreaSuggest',
        'noteLinkSuggest',
        'noteExtract',
      ].sort(),
    );
    expect(Object.values(configs).filter((c) => c.model === SONNET.model)).toHaveLength(31);
    expect(configs.weeklyReview).toEqual(SONNET);
  });

  it('sets, replaces and resets one feature, leaving the others alone', async () => {
    const set = await api.call('POST', `${BASE}/goalCascade`, {
      token: owner.token,
      body: { provider: 'gemini', model: 'gemini-2.5-pro' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ success: true, data: null, error: null });
    let configs = (await get()).body.data;
    expect(configs.goalCascade).toEqual({ provider: 'gemini', model: 'gemini-2.5-pro' });
    expect(configs.goalConflict).toEqual(SONNET);
    await api.call('POST', `${BASE}/goalCascade`, {
      token: owner.token,
      body: { provider: 'groq', model: 'llama-3.3-70b-versatile' },
    });
    configs = (await get()).body.data;
    expect(configs.goalCascade).toEqual({ provider: 'groq', model: 'llama-3.3-70b-versatile' });
    const stored = await queryAll(api.deps.db, {
      pk: userPk(owner.userId),
      sk: { beginsWith: keys.featureConfigPrefix },
    });
    expect(stored).toHaveLength(1);
    const reset = await api.call('DELETE', `${BASE}/goalCascade`, { token: owner.token });
    expect(reset.status).toBe(200);
    expect((await get()).body.data.goalCascade).toEqual(SONNET);
    // Resetting a feature that was never set is not an error.
    expect((await api.call('DELETE', `${BASE}/noteExtract`, { token: owner.token })).status).toBe(
      200,
    );
  });

  it('refuses unknown features and providers and empty models with 400, storing nothing', async () => {
    const cases: [string, unknown, (string | number)[]][] = [
      [`${BASE}/summarizeEverything`, { provider: 'openai', model: 'gpt-4o' }, ['path', 'feature']],
      [`${BASE}/parseTask`, { provider: 'mistral', model: 'large' }, ['body', 'provider']],
      [`${BASE}/parseTask`, { provider: 'openai', model: '  ' }, ['body', 'model']],
      [`${BASE}/parseTask`, { provider: 'openai' }, ['body', 'model']],
    ];
    for (const [path, body, loc] of cases) {
      const res = await api.call('POST', path, { token: owner.token, body });
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({
        path,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
      expect(res.body.error?.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ loc })]),
      );
    }
    expect((await api.call('DELETE', `${BASE}/nope`, { token: owner.token })).status).toBe(400);
    expect((await get()).body.data.parseTask).toEqual(HAIKU);
  });

  it('keeps each user’s choices to that user', async () => {
    const intruder = await api.newUser('intruder');
    await api.call('POST', `${BASE}/projectRisk`, {
      token: owner.token,
      body: { provider: 'openai', model: 'gpt-5-mini' },
    });
    expect((await get(intruder)).body.data.projectRisk).toEqual(SONNET);
    await api.call('DELETE', `${BASE}/projectRisk`, { token: intruder.token });
    await api.call('POST', `${BASE}/projectHealth`, {
      token: intruder.token,
      body: { provider: 'deepseek', model: 'deepseek-chat' },
    });
    const mine = (await get()).body.data;
    expect(mine.projectRisk).toEqual({ provider: 'openai', model: 'gpt-5-mini' });
    expect(mine.projectHealth).toEqual(SONNET);
    // The routes take no entity id: each acts on the caller's own settings only (shown above).
    await expectCovers(
      api,
      [BASE],
      [],
      [`GET ${BASE}`, `POST ${BASE}/{feature}`, `DELETE ${BASE}/{feature}`],
    );
  });
});
