/** The command line: `create-table` against the DynamoDB emulator. */
import { spawnSync } from 'node:child_process';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../src/db/dynamodb.js';
import { motoEndpoint, uniqueTableName } from './helpers/stores.js';

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
