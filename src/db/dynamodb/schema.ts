/**
 * The DynamoDB table's definition (the same as `serverless.yml`'s resource), the client factory
 * and `createTable` (used by the CLI and the tests).
 */
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';

/** Attribute that holds each item's expiry (epoch seconds); DynamoDB TTL is enabled on it. */
export const TTL_ATTRIBUTE = 'ttl';

/** The table's key schema and indexes: the same definition as `serverless.yml`'s resource. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const index = (n: 1 | 2) => ({
    IndexName: `GSI${n}`,
    KeySchema: [
      { AttributeName: `gsi${n}pk`, KeyType: 'HASH' as const },
      { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [index(1), index(2)],
  };
}

/** Connection settings of the adapter. */
export interface DynamoOptions {
  tableName: string;
  region: string;
  /** An emulator's URL (e.g. moto on 127.0.0.1); unset on AWS. */
  endpoint?: string;
}

/** Builds the low-level client; with an emulator endpoint and no AWS credentials, uses dummy ones. */
export function createDynamoClient(options: Omit<DynamoOptions, 'tableName'>): DynamoDBClient {
  const config: DynamoDBClientConfig = { region: options.region };
  if (options.endpoint) {
    config.endpoint = options.endpoint;
    if (!process.env.AWS_ACCESS_KEY_ID) {
      config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    }
  }
  return new DynamoDBClient(config);
}

/**
 * Creates the table (key schema, GSI1, GSI2, on-demand billing) and enables TTL on `ttl`.
 * Idempotent: an existing table is left as it is (TTL is still ensured).
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'exists'> {
  let outcome: 'created' | 'exists' = 'created';
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    outcome = 'exists';
  }
  await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: tableName });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  }
  return outcome;
}
