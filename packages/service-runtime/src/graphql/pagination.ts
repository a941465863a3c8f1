// Declares type-graphql classes: the Reflect metadata API must exist before they are defined.
import 'reflect-metadata';
import { ArgsType, type ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { MAX_PAGE_SIZE } from '../connection.js';

/** Relay-style page information, shared (`@shareable`) by every subgraph's connections. */
@Directive('@shareable')
@ObjectType({ description: 'Where a page ends, and whether another one follows it.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when another page follows: pass `endCursor` as `after` to read it.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of this page; null for an empty page.' })
  endCursor!: string | null;
}

/** Options of the `first` argument of every paginated field: `@Field(() => Int, FIRST)`. */
export const FIRST = {
  nullable: true,
  defaultValue: 20,
  description: `How many to return: 1 to ${MAX_PAGE_SIZE}.`,
} as const;

/** Options of the `after` argument of every paginated field: `@Field(() => String, AFTER)`. */
export const AFTER = {
  nullable: true,
  description: "Start after this cursor (the previous page's `pageInfo.endCursor`); omit it for the first page.",
} as const;

/**
 * The arguments of a field that only paginates. A field with more arguments declares its own
 * `@ArgsType` with FIRST and AFTER last (arguments appear in the schema in field order).
 */
@ArgsType()
export class PageArgs {
  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}

export interface ConnectionTypeOptions {
  /** Singular noun of the node, for descriptions ("product"). */
  readonly noun: string;
  /** Description of the connection type; default "A page of <noun>s." */
  readonly description?: string;
  /** GraphQL name of the node type; default the class name. */
  readonly name?: string;
}

/**
 * `<Node>Connection { edges: [<Node>Edge!]!, pageInfo: PageInfo! }` and its edge type: the Relay
 * cursor connection every list in Radiata answers with (see `toConnection`).
 */
export function connectionType<TNode extends object>(
  node: ClassType<TNode>,
  options: ConnectionTypeOptions,
): ClassType {
  const name = options.name ?? node.name;

  @ObjectType(`${name}Edge`, { description: `One ${options.noun} of a page, with its cursor.` })
  class Edge {
    @Field(() => String, { description: 'Position of this node: pass it as `after` to read what follows it.' })
    cursor!: string;

    @Field(() => node, { description: `The ${options.noun}.` })
    node!: TNode;
  }

  @ObjectType(`${name}Connection`, { description: options.description ?? `A page of ${options.noun}s.` })
  class Connection {
    @Field(() => [Edge], { description: 'The page, in the order its field documents.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Whether another page follows, and where this one ends.' })
    pageInfo!: PageInfo;
  }

  return Connection;
}
