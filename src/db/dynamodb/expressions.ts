/**
 * Rendering of the port's {@link Condition}s and {@link UpdateSpec}s as DynamoDB expressions,
 * with placeholder names and values.
 */
import type { Condition, UpdateSpec } from '../table.js';

/** Placeholder names and values of one request's expressions. */
export class Expressions {
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

  /** `ConditionExpression` of `c`, or nothing without a condition. */
  conditionPart(c: Condition | undefined): { ConditionExpression?: string } {
    return c ? { ConditionExpression: this.condition(c) } : {};
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
