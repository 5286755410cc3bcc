/**
 * DynamoDB adapter of the {@link Table} port (AWS SDK v3 document client).
 *
 * Conditions and updates are rendered as DynamoDB expressions (`expressions.ts`); the service's
 * errors are mapped to the port's typed errors. Every request the adapter sends is counted in
 * {@link DynamoTable.requestCount} (an SDK middleware), for benchmarks. The table's definition
 * and `createTable` are in `schema.ts`.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
} from '../table.js';
import { Expressions } from './expressions.js';
import { createDynamoClient, type DynamoOptions } from './schema.js';

export * from './schema.js';

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
    const conditionPart = ex.conditionPart(condition);
    await this.call(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...conditionPart,
          ...ex.attributes(),
        }),
      ),
    );
  }

  async update(key: Key, spec: UpdateSpec): Promise<Item> {
    assertStorableNumbers([spec.set, spec.add]);
    const ex = new Expressions();
    const UpdateExpression = ex.update(spec);
    const conditionPart = ex.conditionPart(spec.condition);
    const out = await this.call(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression,
          ...conditionPart,
          ...ex.attributes(),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out.Attributes as Item;
  }

  async delete(key: Key, condition?: Condition): Promise<Item | null> {
    const ex = new Expressions();
    const conditionPart = ex.conditionPart(condition);
    const out = await this.call(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ...conditionPart,
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
    const TableName = this.tableName;
    assertStorableNumbers(
      ops.map((op) => ('put' in op ? op.put : 'update' in op ? [op.spec.set, op.spec.add] : null)),
    );
    const TransactItems: NonNullable<TransactWriteCommandInput['TransactItems']> = ops.map((op) => {
      // Each operation has its own placeholders; `attributes()` comes last, after they are named.
      const ex = new Expressions();
      if ('put' in op) {
        return {
          Put: { TableName, Item: op.put, ...ex.conditionPart(op.condition), ...ex.attributes() },
        };
      }
      if ('update' in op) {
        const UpdateExpression = ex.update(op.spec);
        return {
          Update: {
            TableName,
            Key: op.update,
            UpdateExpression,
            ...ex.conditionPart(op.spec.condition),
            ...ex.attributes(),
          },
        };
      }
      if ('delete' in op) {
        return {
          Delete: {
            TableName,
            Key: op.delete,
            ...ex.conditionPart(op.condition),
            ...ex.attributes(),
          },
        };
      }
      const ConditionExpression = ex.condition(op.condition);
      return {
        ConditionCheck: { TableName, Key: op.check, ConditionExpression, ...ex.attributes() },
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
