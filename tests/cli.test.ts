/** The command line: `create-table` against the DynamoDB emulator; `import-localstorage`. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../src/db/dynamodb/index.js';
import { FIXTURE_PATH, expectedCounts, fixture } from './helpers/dump.js';
import { motoEndpoint, tempDir, uniqueTableName } from './helpers/stores.js';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('cli create-table', () => {
  it('creates the table with both GSIs and TTL, and is idempotent', async () => {
    const table = uniqueTableName();
    const first = cli('create-table', '--table', table, '--endpoint', motoEndpoint());
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe(`Created table ${table}`);
    const client = createDynamoClient({ region: 'us-east-1', endpoint: motoEndpoint() });
    const described = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(
      described.Table?.GlobalSecondaryIndexes?.map((i) => [
        i.IndexName,
        i.KeySchema?.map((k) => k.AttributeName),
      ]),
    ).toEqual([
      ['GSI1', ['gsi1pk', 'gsi1sk']],
      ['GSI2', ['gsi2pk', 'gsi2sk']],
    ]);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'ttl',
      TimeToLiveStatus: 'ENABLED',
    });
    client.destroy();
    expect(cli('create-table', '--table', table, '--endpoint', motoEndpoint()).stdout.trim()).toBe(
      `Table ${table} already exists`,
    );
  });
});

describe('cli import-localstorage', () => {
  it('creates the local account, imports the dump with a per-collection summary, and a second run creates nothing', () => {
    const dir = tempDir();
    const env = { ...process.env, SQLITE_PATH: join(dir, 'db.sqlite'), DATA_DIR: dir };
    const importCli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli.ts', 'import-localstorage', FIXTURE_PATH, ...args],
        { encoding: 'utf8', timeout: 60_000, env },
      );
    expect(importCli().status).not.toBe(0); // --email is required
    for (const email of ['', 'not-an-email']) {
      const refused = importCli('--email', email);
      expect({ status: refused.status, stderr: refused.stderr.trim() }).toEqual({
        status: 2,
        stderr: 'Invalid --email: Invalid email address',
      });
    }
    const first = importCli('--email', 'You@Example.com', '--password', 'Correct-horse-9');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^Created the local account You@Example\.com \(user \w+\)$/m);
    const counts = expectedCounts(fixture());
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(first.stdout).toMatch(
      new RegExp(`^gs_tasks\\s+${counts.gs_tasks}\\s+0\\s+0\\s+0$`, 'm'),
    );
    expect(first.stdout).toMatch(new RegExp(`^total\\s+${total}\\s+0\\s+0\\s+0$`, 'm'));
    expect(first.stdout).toContain('Wallet (none)');
    const second = importCli('--email', 'you@example.com');
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^Importing into you@example\.com \(user \w+\)$/m);
    expect(second.stdout).toMatch(new RegExp(`^total\\s+0\\s+0\\s+${total}\\s+0$`, 'm'));
  });
});
