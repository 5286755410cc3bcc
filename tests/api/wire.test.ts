/**
 * The wire (API_CONTRACT.md §a): envelope, error codes and statuses, 404/405/413, CORS,
 * trailing slashes, `/health`, the OpenAPI document — and, over every route the document lists,
 * the shared security suite's first half: no token or a bad token → 401.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';

describe('the wire', () => {
  let api: TestApi;
  let user: TestUser;
  beforeAll(async () => {
    api = await startApi({ env: { CORS_ORIGINS: 'https://app.example.com' } });
    user = await api.newUser('wire');
  });
  afterAll(() => api.close());

  it('serves /health publicly with version and store kind', async () => {
    const res = await api.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      error: null,
      data: { status: 'ok', store: 'sqlite', authMode: 'local', version: expect.any(String) },
    });
  });

  it('answers unknown routes with 404 and known paths with another method with 405, in the envelope', async () => {
    const missing = await api.call('GET', '/nowhere', { token: user.token });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      success: false,
      data: null,
      error: { code: 'NOT_FOUND', message: expect.any(String) },
    });
    const wrong = await api.call('PUT', '/tasks', { token: user.token, body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.body.error?.code).toBe('METHOD_NOT_ALLOWED');
    expect(wrong.headers.get('allow')).toContain('GET');
    expect((await api.call('DELETE', '/health')).status).toBe(405);
  });

  it('refuses a body over 1 MiB with 413 and malformed JSON with 400', async () => {
    // A fresh connection: the server answers before reading the whole body, then closes it.
    const payload = JSON.stringify({ title: 'x', area: 'Health', notes: 'y'.repeat(1024 * 1024) });
    const big = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${api.url}/tasks`, {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(payload);
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    const broken = await api.call('POST', '/tasks', { token: user.token, rawBody: '{"title": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.error?.code).toBe('VALIDATION_ERROR');
  });

  it('reports validation problems as {loc, msg, type} items', async () => {
    const res = await api.call('POST', '/tasks', {
      token: user.token,
      body: { title: '', area: 'Nowhere', size: 'big' },
    });
    expect(res.status).toBe(400);
    const details = res.body.error?.details as { loc: unknown[]; msg: string; type: string }[];
    expect(details.map((d) => d.loc)).toEqual(
      expect.arrayContaining([
        ['body', 'title'],
        ['body', 'area'],
        ['body', 'size'],
      ]),
    );
    for (const d of details)
      expect(d).toEqual({
        loc: expect.any(Array),
        msg: expect.any(String),
        type: expect.any(String),
      });
    const query = await api.call('GET', '/tasks?sortOrder=sideways', { token: user.token });
    expect(query.body.error?.details).toEqual([
      expect.objectContaining({ loc: ['query', 'sortOrder'] }),
    ]);
  });

  it('answers /tasks/ like /tasks', async () => {
    const a = await api.call('GET', '/tasks', { token: user.token });
    const b = await api.call('GET', '/tasks/', { token: user.token });
    expect(b.status).toBe(200);
    expect(b.body).toEqual(a.body);
  });

  it('allows CORS from the configured origin only', async () => {
    const preflight = await fetch(`${api.url}/tasks`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    const other = await fetch(`${api.url}/health`, {
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('documents every route with request and response schemas, and serves /docs', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, unknown>; requestBody?: unknown; security?: unknown }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
    );
    const served = api.app.routes
      .filter((r) => r.method !== 'ALL' && !['/openapi.json', '/docs'].includes(r.path))
      .map((r) => `${r.method} ${r.path}`);
    expect(new Set(documented)).toEqual(new Set(served));
    const createTask = doc.paths['/tasks']?.post;
    expect(createTask?.requestBody).toBeDefined();
    expect(Object.keys(createTask?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '404']),
    );
    // The error envelope documents `details` as the server sends it: a list of field problems
    // for VALIDATION_ERROR, an object for the others (e.g. INSUFFICIENT_POINTS, a 409).
    const components = (doc as unknown as { components: { schemas: Record<string, Schema> } })
      .components.schemas;
    type Schema = { properties?: Record<string, Schema>; anyOf?: Schema[]; type?: string };
    const details = components.ErrorEnvelope?.properties?.error?.properties?.details;
    expect(details?.anyOf?.map((s) => s.type)).toEqual(['array', 'object']);
    const docs = await fetch(`${api.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('answers 401 without a token or with a bad one on every authenticated route', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const secured = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => (op.security ?? []).length > 0)
        .map(([method]) => ({
          method: method.toUpperCase(),
          path: path.replace(/\{[^}]+\}/g, 'some-id'),
        })),
    );
    expect(secured.length).toBeGreaterThan(10);
    for (const route of secured) {
      for (const token of [null, 'not-a-jwt', `${user.token}x`]) {
        const res = await api.call(route.method, route.path, {
          token,
          ...(route.method === 'GET' ? {} : { body: {} }),
        });
        expect({ route, token: token?.slice(-5), status: res.status }).toEqual({
          route,
          token: token?.slice(-5),
          status: 401,
        });
      }
    }
  });
});
