/**
 * DynamoDB adapter of the {@link Table} port (AWS SDK v3 document client), and `createTable`.
 *
 * Conditions and updates are rendered as DynamoDB expressions with placeholder names and
 * values; the service's errors are mapped to the port's typed errors. Every request the adapter
 * sends is counted in {@link DynamoTable.requestCount} (an SDK middleware), for benchmarks.
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
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  ConditionFailedError,
  InvalidCursorError,
  InvalidRequestError,
  ItemTooLargeError,
  TransactionCanceledError,
  assertStorableNumbers,
  assertValidQuery,
  assertValidTransaction,
  decodeCursor,
  encodeCursor,
  indexKeys,
  type Condition,
  type Item,
  type Key,
  type Page,
  type QueryInput,
  type ScanInput,
  type Table,
  type TransactOp,
  type UpdateSpec,
} from './table.js';

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

/** Placeholder names and values of one request's expressions. */
class Expressions {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private count = 0;

  name(path: string): string {
    const placeholder = `#${path.replace(/[^A-Za-z0-9_]/g, '_')}`;
    this.names[placeholder] = path;
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${this.count++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  condition(c: Condition): string {
    if ('and' in c) return `(${c.and.map((x) => this.condition(x)).join(' AND ')})`;
    if ('or' in c) return `(${c.or.map((x) => this.condition(x)).join(' OR ')})`;
    if ('not' in c) return `(NOT ${this.condition(c.not)})`;
    if ('exists' in c) return `attribute_exists(${this.name(c.exists)})`;
    if ('notExists' in c) return `attribute_not_exists(${this.name(c.notExists)})`;
    if ('beginsWith' in c) return `begins_with(${this.name(c.path)}, ${this.value(c.beginsWith)})`;
    if ('contains' in c) return `contains(${this.name(c.path)}, ${this.value(c.contains)})`;
    return `${this.name(c.path)} ${c.op} ${this.value(c.value)}`;
  }

  update(spec: UpdateSpec): string {
    const set = Object.entries(spec.set ?? {}).filter(([, v]) => v !== undefined);
    const removed = [
      ...(spec.remove ?? []),
      ...Object.entries(spec.set ?? {})
        .filter(([, v]) => v === undefined)
        .map(([k]) => k),
    ];
    const add = Object.entries(spec.add ?? {});
    const parts: string[] = [];
    if (set.length)
      parts.push(`SET ${set.map(([k, v]) => `${this.name(k)} = ${this.value(v)}`).join(', ')}`);
    if (removed.length) parts.push(`REMOVE ${removed.map((k) => this.name(k)).join(', ')}`);
    if (add.length)
      parts.push(`ADD ${add.map(([k, v]) => `${this.name(k)} ${this.value(v)}`).join(', ')}`);
    if (parts.length === 0) parts.push(`SET ${this.name('pk')} = ${this.name('pk')}`);
    return parts.join(' ');
  }

  /** The placeholder maps, omitting empty ones (DynamoDB rejects an empty map). */
  attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  } {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

/** The DynamoDB store. Create one per process and reuse it (the SDK client pools connections). */
export class DynamoTable implements Table {
  readonly kind = 'dynamodb' as const;
  /** Requests sent to DynamoDB since creation (each `send`, retries not counted). */
  requestCount = 0;
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    client.middlewareStack.add(
      (next) => async (args) => {
        this.requestCount += 1;
        return next(args);
      },
      { step: 'initialize', name: 'personalOsRequestCounter' },
    );
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  /** Opens the table named in `options`. */
  static open(options: DynamoOptions): DynamoTable {
    return new DynamoTable(createDynamoClient(options), options.tableName);
  }

  async get(key: Key): Promise<Item | null> {
    const out = await this.call(() =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return (out.Item as Item | undefined) ?? null;
  }

  async batchGet(requested: Key[]): Promise<Item[]> {
    // DynamoDB refuses a batch that names one key twice; each item is returned once anyway.
    const keys = [...new Map(requested.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] = keys
        .slice(i, i + 100)
        .map(({ pk, sk }) => ({ pk, sk }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const out = await this.call(() =>
          this.doc.send(
            new BatchGetCommand({
              RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
            }),
          ),
        );
        items.push(...((out.Responses?.[this.tableName] as Item[] | undefined) ?? []));
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (pending.length > 0) await backoff(attempt);
      }
    }
    return items;
  }

  async put(item: Item, condition?: Condition): Promise<void> {
    assertStorableNumbers(item);
    const ex = new Expressions();
    const expression = condition ? ex.condition(condition) : undefined;
    await this.call(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(expression ? { ConditionExpression: expression } : {}),
          ...ex.attributes(),
        }),
      ),
    );
  }

  async update(key: Key, spec: UpdateSpec): Promise<Item> {
    assertStorableNumbers([spec.set, spec.add]);
    const ex = new Expressions();
    const update = ex.update(spec);
    const condition = spec.condition ? ex.condition(spec.condition) : undefined;
    const out = await this.call(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: update,
          ...(condition ? { ConditionExpression: condition } : {}),
          ...ex.attributes(),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out.Attributes as Item;
  }

  async delete(key: Key, condition?: Condition): Promise<Item | null> {
    const ex = new Expressions();
    const expression = condition ? ex.condition(condition) : undefined;
    const out = await this.call(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ...(expression ? { ConditionExpression: expression } : {}),
          ...ex.attributes(),
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return (out.Attributes as Item | undefined) ?? null;
  }

  async query(input: QueryInput): Promise<Page> {
    assertValidQuery(input);
    const names = indexKeys(input.index);
    const ex = new Expressions();
    let keyCondition = `${ex.name(names.pk)} = ${ex.value(input.pk)}`;
    const sk = input.sk;
    if (sk && 'beginsWith' in sk) {
      keyCondition += ` AND begins_with(${ex.name(names.sk)}, ${ex.value(sk.beginsWith)})`;
    } else if (sk && 'between' in sk) {
      keyCondition += ` AND ${ex.name(names.sk)} BETWEEN ${ex.value(sk.between[0])} AND ${ex.value(sk.between[1])}`;
    } else if (sk) {
      keyCondition += ` AND ${ex.name(names.sk)} ${sk.op} ${ex.value(sk.value)}`;
    }
    const filter = input.filter ? ex.condition(input.filter) : undefined;
    const start = input.cursor
      ? decodeCursor(input.cursor, input.index, input.pk, input.sk)
      : undefined;
    const out = await this.call(() =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(input.index ? { IndexName: input.index } : { ConsistentRead: true }),
          KeyConditionExpression: keyCondition,
          ...(filter ? { FilterExpression: filter } : {}),
          ...ex.attributes(),
          ScanIndexForward: input.forward ?? true,
          ...(input.limit !== undefined ? { Limit: input.limit } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    const last = out.LastEvaluatedKey as Record<string, string> | undefined;
    return {
      items: (out.Items as Item[] | undefined) ?? [],
      cursor: last ? encodeCursor(last) : null,
    };
  }

  async scan(input: ScanInput): Promise<Page> {
    const ex = new Expressions();
    const filter = input.filter ? ex.condition(input.filter) : undefined;
    const start = input.cursor ? decodeCursor(input.cursor, undefined, null) : undefined;
    const out = await this.call(() =>
      this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          ...(filter ? { FilterExpression: filter } : {}),
          ...ex.attributes(),
          ...(input.limit !== undefined ? { Limit: input.limit } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    const last = out.LastEvaluatedKey as Record<string, string> | undefined;
    return {
      items: (out.Items as Item[] | undefined) ?? [],
      cursor: last ? encodeCursor(last) : null,
    };
  }

  async transactWrite(ops: TransactOp[]): Promise<void> {
    assertValidTransaction(ops);
    assertStorableNumbers(
      ops.map((op) => ('put' in op ? op.put : 'update' in op ? [op.spec.set, op.spec.add] : null)),
    );
    const TransactItems: NonNullable<TransactWriteCommandInput['TransactItems']> = ops.map((op) => {
      const ex = new Expressions();
      if ('put' in op) {
        const condition = op.condition ? ex.condition(op.condition) : undefined;
        return {
          Put: {
            TableName: this.tableName,
            Item: op.put,
            ...(condition ? { ConditionExpression: condition } : {}),
            ...ex.attributes(),
          },
        };
      }
      if ('update' in op) {
        const update = ex.update(op.spec);
        const condition = op.spec.condition ? ex.condition(op.spec.condition) : undefined;
        return {
          Update: {
            TableName: this.tableName,
            Key: op.update,
            UpdateExpression: update,
            ...(condition ? { ConditionExpression: condition } : {}),
            ...ex.attributes(),
          },
        };
      }
      if ('delete' in op) {
        const condition = op.condition ? ex.condition(op.condition) : undefined;
        return {
          Delete: {
            TableName: this.tableName,
            Key: op.delete,
            ...(condition ? { ConditionExpression: condition } : {}),
            ...ex.attributes(),
          },
        };
      }
      return {
        ConditionCheck: {
          TableName: this.tableName,
          Key: op.check,
          ConditionExpression: ex.condition(op.condition),
          ...ex.attributes(),
        },
      };
    });
    await this.call(() => this.doc.send(new TransactWriteCommand({ TransactItems })));
  }

  async batchWrite(input: { put?: Item[]; delete?: Key[] }): Promise<void> {
    assertStorableNumbers(input.put);
    // DynamoDB refuses a batch that names one key twice: the last request of a key wins (puts
    // first, then deletes, as on SQLite).
    const byKey = new Map<string, Record<string, unknown>>();
    for (const item of input.put ?? [])
      byKey.set(`${item.pk}\u0000${item.sk}`, { PutRequest: { Item: item } });
    for (const key of input.delete ?? [])
      byKey.set(`${key.pk}\u0000${key.sk}`, { DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } });
    const requests = [...byKey.values()];
    for (let i = 0; i < requests.length; i += 25) {
      let pending = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const out = await this.call(() =>
          this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } })),
        );
        pending =
          (out.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined) ?? [];
        if (pending.length > 0) await backoff(attempt);
      }
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Runs one SDK call, translating DynamoDB's errors into the port's. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw translateError(err);
    }
  }
}

function translateError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (err.name === 'ConditionalCheckFailedException') return new ConditionFailedError();
  if (err.name === 'TransactionCanceledException') {
    const reasons = ((err as { CancellationReasons?: { Code?: string; Message?: string }[] })
      .CancellationReasons ?? []) as { Code?: string; Message?: string }[];
    if (reasons.some((r) => /size/i.test(r.Message ?? '') && r.Code === 'ValidationError')) {
      return new ItemTooLargeError();
    }
    return new TransactionCanceledError(reasons.map((r) => r.Code ?? 'None'));
  }
  if (err.name === 'ValidationException') {
    if (/size (to update )?has exceeded|exceeds the maximum allowed size/i.test(err.message))
      return new ItemTooLargeError();
    if (/starting key|ExclusiveStartKey/i.test(err.message)) return new InvalidCursorError();
    return new InvalidRequestError(err.message);
  }
  return err;
}

async function backoff(attempt: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
}
