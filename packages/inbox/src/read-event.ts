/**
 * An event no retry can apply: a routing key the consumer does not take, or a payload its schema
 * refuses. `startEventConsumer` dead-letters it at once.
 */
export class MalformedEvent extends Error {
  override readonly name = 'MalformedEvent';
}

/** Reads a payload the way zod's `safeParse` does (any zod schema is one), so the inbox needs no zod. */
export interface EventSchema<T> {
  safeParse(payload: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/** The schema of each routing key a consumer takes. */
export type EventSchemas = Readonly<Record<string, EventSchema<unknown>>>;

/** What `readEvent` returns for `S`: the union of its schemas' outputs. */
export type EventOf<S extends EventSchemas> = {
  [K in keyof S]: S[K] extends EventSchema<infer T> ? T : never;
}[keyof S];

/**
 * Reads an event's payload with the schema of its routing key (`schemas[routingKey]`) and returns
 * the schema's output. MalformedEvent for a routing key `schemas` does not have or a payload its
 * schema refuses.
 *
 * ```ts
 * const change = readEvent({ 'catalog.brand.changed': brandChanged, 'catalog.grade.changed': gradeChanged },
 *   event.routingKey, event.payload);
 * ```
 */
export function readEvent<S extends EventSchemas>(schemas: S, routingKey: string, payload: unknown): EventOf<S> {
  const schema = Object.hasOwn(schemas, routingKey) ? schemas[routingKey] : undefined;
  if (!schema) throw new MalformedEvent(`unexpected routing key ${routingKey}`);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new MalformedEvent(`${routingKey}: ${parsed.error.message}`);
  return parsed.data as EventOf<S>;
}
