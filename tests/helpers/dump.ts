/**
 * The front end's real localStorage dump (`tests/fixtures/frontend-localstorage.json`, a copy of
 * the project's shared fixture) and what a test expects of it, computed from the file itself:
 * record counts per collection and the links — the union of the relation maps and the embedded
 * `goalIds` / `projectIds`, one per (child, parent) pair.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A dump: `gs_*` keys to maps of records (but `gs_seeded`, a flag the helpers skip). */
export type DumpFile = Record<string, Record<string, Record<string, unknown>>>;

/** Where the fixture lives. */
export const FIXTURE_PATH = join(import.meta.dirname, '../fixtures/frontend-localstorage.json');

/** A fresh copy of the fixture (tests may change it). */
export function fixture(): DumpFile {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as DumpFile;
}

/** Relation maps of the front end: the child's and the parent's field, and the child's array. */
export const RELATIONS = {
  gs_taskGoals: { child: 'taskId', parent: 'goalId', children: 'gs_tasks', array: 'goalIds' },
  gs_taskProjects: {
    child: 'taskId',
    parent: 'projectId',
    children: 'gs_tasks',
    array: 'projectIds',
  },
  gs_projectGoals: {
    child: 'projectId',
    parent: 'goalId',
    children: 'gs_projects',
    array: 'goalIds',
  },
  gs_goalMetrics: { child: 'metricId', parent: 'goalId', children: 'gs_metrics', array: 'goalIds' },
  gs_habitGoals: { child: 'habitId', parent: 'goalId', children: 'gs_habits', array: 'goalIds' },
} as const;

/** The links of each relation in `dump`, as `[childId, parentId]` pairs (union, no repeats). */
export function linksOf(dump: DumpFile): Record<keyof typeof RELATIONS, [string, string][]> {
  const out = {} as Record<keyof typeof RELATIONS, [string, string][]>;
  for (const [key, r] of Object.entries(RELATIONS) as [
    keyof typeof RELATIONS,
    (typeof RELATIONS)[keyof typeof RELATIONS],
  ][]) {
    const pairs = new Map<string, [string, string]>();
    for (const rec of Object.values(dump[key] ?? {})) {
      const pair: [string, string] = [String(rec[r.child]), String(rec[r.parent])];
      pairs.set(pair.join('#'), pair);
    }
    for (const child of Object.values(dump[r.children] ?? {})) {
      for (const parent of (child[r.array] as string[] | undefined) ?? []) {
        pairs.set(`${String(child.id)}#${parent}`, [String(child.id), parent]);
      }
    }
    out[key] = [...pairs.values()];
  }
  return out;
}

/** How many records each collection of `dump` holds (relations: the union of `linksOf`). */
export function expectedCounts(dump: DumpFile): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, value] of Object.entries(dump)) {
    if (key === 'gs_seeded' || typeof value !== 'object') continue;
    counts[key] = Object.keys(value).length;
  }
  for (const [key, pairs] of Object.entries(linksOf(dump))) counts[key] = pairs.length;
  for (const [key, n] of Object.entries(counts)) if (n === 0) Reflect.deleteProperty(counts, key);
  return counts;
}
