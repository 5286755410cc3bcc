/**
 * Entity ⇄ item mapping shared by every domain: an entity is stored whole in its item, plus the
 * storage attributes (keys, GSI keys, `entityType`, `version`, `ttl`) that never reach clients.
 */
import { keys, type EntityType } from './keys.js';
import type { Item } from './table.js';

/** Attributes that exist only in storage. */
export const STORAGE_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'entityType',
  'version',
  'ttl',
];

/**
 * Whether `item` has outlived its `ttl` (epoch seconds) at `nowSeconds`. DynamoDB deletes expired
 * items only eventually (SQLite and the emulator never do), so every read that honours a TTL asks
 * this; an item without `ttl` never expires. Expired means `ttl ≤ now`, as the conditions on
 * reused keys (`cond.lte('ttl', now)`) say.
 */
export function hasExpired(item: Item, nowSeconds: number): boolean {
  return item.ttl !== undefined && Number(item.ttl) <= nowSeconds;
}

/** Fields every user-owned entity has. */
export interface EntityBase {
  id: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
}

/** The entity stored in `item`, without storage attributes. */
export function fromItem<T>(item: Item): T {
  const entity: Record<string, unknown> = { ...item };
  for (const name of STORAGE_ATTRIBUTES) Reflect.deleteProperty(entity, name);
  return entity as T;
}

/**
 * The item of an entity of `type`: key `USER#{userId}` / `{TYPE}#{id}`, GSI1 by status (when it
 * has one) and GSI2 by area (when it has one), and `version` for optimistic concurrency.
 */
export function entityItem<T extends EntityBase & { status?: string | null; area?: string | null }>(
  type: EntityType,
  entity: T,
  version: number,
): Item {
  return {
    ...(entity as Record<string, unknown>),
    ...keys.entity(entity.userId, type, entity.id),
    ...(entity.status ? keys.gsi1(entity.userId, type, entity.status, entity.createdAt) : {}),
    ...(entity.area ? keys.gsi2(entity.userId, entity.area, type, entity.createdAt) : {}),
    entityType: type,
    version,
  };
}
