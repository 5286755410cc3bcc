/** Project items ⇄ the API's Project shape (API_CONTRACT.md §c.2 Project). */
import type { ProjectT } from '../../api/schemas/projects.js';
import { entityItem, fromItem } from '../../db/models.js';
import type { Item } from '../../db/table.js';

/** The API shape of a stored project (without the optional health extras). */
export function toProject(item: Item): ProjectT {
  const p = fromItem<Record<string, unknown>>(item);
  return {
    id: String(p.id),
    name: String(p.name),
    description: (p.description as string | null) ?? null,
    area: p.area as ProjectT['area'],
    subCategory: (p.subCategory as ProjectT['subCategory']) ?? null,
    priority: p.priority as ProjectT['priority'],
    status: p.status as ProjectT['status'],
    impact: Number(p.impact ?? 3),
    startDate: (p.startDate as string | null) ?? null,
    targetEndDate: (p.targetEndDate as string | null) ?? null,
    actualEndDate: (p.actualEndDate as string | null) ?? null,
    notes: (p.notes as string | null) ?? null,
    goalIds: (p.goalIds as string[] | undefined) ?? [],
    userId: String(p.userId),
    createdAt: String(p.createdAt),
    updatedAt: String(p.updatedAt),
  };
}

/** The item of a project at `version` (keys, GSI1 by status, GSI2 by area). */
export function projectItem(project: Record<string, unknown>, version: number): Item {
  return entityItem('PROJECT', project as ProjectT, version);
}
