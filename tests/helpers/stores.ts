/**
 * Fresh stores for tests: a SQLite file in a temporary directory, or a new table in the
 * DynamoDB emulator started by the global setup. `STORES` lists both, for `describe.each`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { DynamoTable, createDynamoClient, createTable } from '../../src/db/dynamodb/index.js';
import { SqliteTable } from '../../src/db/sqlite.js';
import type { Table } from '../../src/db/table.js';

/** The two store kinds every store-facing suite runs against. */
export const STORES = ['sqlite', 'dynamodb'] as const;
/** One of {@link STORES}. */
export type StoreKind = (typeof STORES)[number];

let counter = 0;

/** A temporary directory for one test's files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'personal-os-test-'));
}

/** The emulator's URL. */
export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

/** A unique table name in the emulator. */
export function uniqueTableName(): string {
  counter += 1;
  return `test-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** A new, empty store of `kind`; for SQLite also the file path (to open more connections). */
export async function freshTable(
  kind: StoreKind,
): Promise<{ table: Table; path?: string; tableName?: string }> {
  if (kind === 'sqlite') {
    const path = join(tempDir(), 'store.db');
    return { table: SqliteTable.open(path), path };
  }
  const tableName = uniqueTableName();
  const options = { tableName, region: 'us-east-1', endpoint: motoEndpoint() };
  await createTable(createDynamoClient(options), tableName);
  return { table: DynamoTable.open(options), tableName };
}
