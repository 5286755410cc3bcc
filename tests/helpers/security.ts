/**
 * The shared security suite every domain joins:
 * - {@link expectIsolated}: another user gets 404 for every route called with the owner's ids;
 * - {@link expectCovers}: a domain's isolation cases cover every authenticated route of its paths,
 *   so a new route without an isolation case fails the suite.
 * (No token / bad token → 401 is checked over every route of the OpenAPI document in
 * `tests/api/security.test.ts`.)
 */
import { expect } from 'vitest';
import type { TestApi, TestUser } from './api.js';

/** One request made with the owner's ids. */
export interface IsolationCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

/** Every authenticated `METHOD /template` of the app whose path starts with one of `prefixes`. */
export async function securedRoutes(api: TestApi, prefixes: string[]): Promise<string[]> {
  const res = await fetch(`${api.url}/openapi.json`);
  const doc = (await res.json()) as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    prefixes.some((p) => path === p || path.startsWith(`${p}/`))
      ? Object.entries(operations)
          .filter(([, op]) => (op.security ?? []).length > 0)
          .map(([method]) => `${method.toUpperCase()} ${path}`)
      : [],
  );
}

/** Whether concrete `path` fits the OpenAPI template `template` (`/tasks/{id}`). */
function fits(template: string, path: string): boolean {
  const pattern = template.replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path.split('?')[0] as string);
}

/** Asserts that `intruder` gets 404 `NOT_FOUND` from every case. */
export async function expectIsolated(
  api: TestApi,
  intruder: TestUser,
  cases: IsolationCase[],
): Promise<void> {
  for (const c of cases) {
    const res = await api.call(c.method, c.path, { token: intruder.token, body: c.body });
    expect({
      request: `${c.method} ${c.path}`,
      status: res.status,
      code: res.body?.error?.code,
    }).toEqual({
      request: `${c.method} ${c.path}`,
      status: 404,
      code: 'NOT_FOUND',
    });
  }
}

/**
 * Asserts that `cases` (plus `listRoutes`, checked separately for not showing the owner's data)
 * cover every authenticated route under `prefixes`.
 */
export async function expectCovers(
  api: TestApi,
  prefixes: string[],
  cases: IsolationCase[],
  listRoutes: string[] = [],
): Promise<void> {
  const routes = await securedRoutes(api, prefixes);
  const uncovered = routes.filter((route) => {
    const [method, template] = route.split(' ') as [string, string];
    return (
      !listRoutes.includes(route) &&
      !cases.some((c) => c.method === method && fits(template, c.path))
    );
  });
  expect(uncovered).toEqual([]);
}
