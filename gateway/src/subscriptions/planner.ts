import { operationFromDocument, type Schema, Supergraph } from '@apollo/federation-internals';
import { buildOperationContext } from '@apollo/gateway';
import { type FetchNode, type QueryPlan, QueryPlanner } from '@apollo/query-planner';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Who a subscription's events are for, declared by the subgraph that owns its root field:
 * `@tag(name: "public")` says anyone may follow it and it reads the same for every shopper
 * (prices, countdowns); any other is personal (a claim result), shared only by one viewer.
 */
type OperationContext = ReturnType<typeof buildOperationContext>;

export type SubscriptionAudience = 'public' | 'personal';

export const PUBLIC_SUBSCRIPTION_TAG = 'public';

/** The service name under which each upstream event answers the plan's primary fetch. */
export const EVENT_SOURCE = '__subscription_event__';

/** Prefix of the aliases the gateway adds to a root field to learn which state an event reports. */
const STATE_KEY_ALIAS = '_radiataStateKey_';

export interface PlannedSubscription {
  readonly rootField: string;
  /** The root field's key in `data` (its alias, else its name). */
  readonly responseKey: string;
  readonly audience: SubscriptionAudience;
  /** The subgraph that owns the root field, and the operation the gateway subscribes to there. */
  readonly upstream: {
    readonly subgraph: string;
    readonly query: string;
    readonly operationName: string | undefined;
    readonly variableNames: readonly string[];
  };
  /** Run on every event: the primary fetch (answered by the event itself), then the rest of the plan. */
  readonly eventPlan: QueryPlan;
  readonly operationContext: OperationContext;
  /**
   * Aliases added to the root field for its type's `ID!` fields (`productId`, `timeSaleId`,
   * `claimId`): the state an event reports, so a client that joins a running subscription is
   * first sent the latest event of each state. Removed from what clients receive.
   */
  readonly stateKeyAliases: readonly string[];
}

/**
 * Plans subscriptions with the same query planner as queries: @apollo/query-planner plans one
 * as a `Subscription` node whose `primary` fetch goes to the subgraph owning the root field and
 * whose `rest` fills in other subgraphs' fields. The gateway subscribes to `primary` upstream and
 * runs `rest` on each event with @apollo/gateway's executeQueryPlan (see shared-subscriptions.ts).
 * Plans are cached by document text and operation name.
 */
export class SubscriptionPlanner {
  readonly supergraphSchema: GraphQLSchema;
  readonly apiSchema: Schema;
  /** What clients' documents are validated against (the same API schema as HTTP requests). */
  readonly schema: GraphQLSchema;
  private readonly supergraph: Supergraph;
  private readonly planner: QueryPlanner;
  private readonly cache = new Map<string, PlannedSubscription>();

  constructor(
    supergraphSdl: string,
    private readonly cacheSize = 1000,
  ) {
    this.supergraph = Supergraph.build(supergraphSdl);
    this.supergraphSchema = this.supergraph.schema.toGraphQLJSSchema();
    this.apiSchema = this.supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(this.supergraph);
  }

  /** The plan of a validated subscription document; `cacheKey` names the document (its text). */
  plan(cacheKey: string, document: DocumentNode, operation: OperationDefinitionNode): PlannedSubscription {
    const key = `${operation.name?.value ?? ''}\u0000${cacheKey}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last: the oldest entry is the first the cache drops.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const planned = this.build(document, operation);
    this.cache.set(key, planned);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return planned;
  }

  private build(document: DocumentNode, operation: OperationDefinitionNode): PlannedSubscription {
    const root = rootFieldOf(document, operation);
    const rootType = this.schema.getSubscriptionType();
    const fieldType = rootType?.getFields()[root.name.value]?.type;
    const eventType = fieldType ? getNamedType(fieldType) : undefined;
    const stateKeyFields =
      eventType && isObjectType(eventType)
        ? Object.values(eventType.getFields())
            .filter(
              (field) =>
                field.args.length === 0 && isNonNullType(field.type) && getNullableType(field.type).toString() === 'ID',
            )
            .map((field) => field.name)
        : [];
    const augmented = withStateKeys(document, operation, root, stateKeyFields);
    const operationName = operation.name?.value;
    const planOf = this.planner.buildQueryPlan(
      operationFromDocument(this.apiSchema, augmented, operationName ? { operationName } : {}),
    );
    const node = planOf.node;
    if (node?.kind !== 'Subscription') throw new Error('The query planner did not plan a subscription');
    const eventFetch: FetchNode = { ...node.primary, serviceName: EVENT_SOURCE };
    return {
      rootField: root.name.value,
      responseKey: root.alias?.value ?? root.name.value,
      audience: this.audienceOf(root.name.value),
      upstream: {
        subgraph: node.primary.serviceName,
        query: node.primary.operation,
        operationName: node.primary.operationName,
        variableNames: node.primary.variableUsages ?? [],
      },
      eventPlan: {
        kind: 'QueryPlan',
        node: node.rest ? { kind: 'Sequence', nodes: [eventFetch, node.rest] } : eventFetch,
      },
      operationContext: buildOperationContext({
        schema: this.schema,
        operationDocument: augmented,
        ...(operationName ? { operationName } : {}),
      }),
      stateKeyAliases: stateKeyFields.map((field) => `${STATE_KEY_ALIAS}${field}`),
    };
  }

  private audienceOf(rootField: string): SubscriptionAudience {
    const field = this.supergraph.schema.schemaDefinition.rootType('subscription')?.field(rootField);
    const tagged = field
      ?.appliedDirectivesOf('tag')
      .some((tag) => (tag.arguments() as { name?: unknown }).name === PUBLIC_SUBSCRIPTION_TAG);
    return tagged ? 'public' : 'personal';
  }
}

/** The subscription's one root field (validation allows exactly one), through fragments. */
function rootFieldOf(document: DocumentNode, operation: OperationDefinitionNode): FieldNode {
  const fragments = fragmentsOf(document);
  const find = (selectionSet: SelectionSetNode): FieldNode | undefined => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') return selection;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = find(selection.selectionSet);
        if (found) return found;
      } else {
        const fragment = fragments.get(selection.name.value);
        const found = fragment && find(fragment.selectionSet);
        if (found) return found;
      }
    }
    return undefined;
  };
  const root = find(operation.selectionSet);
  if (!root) throw new Error('A subscription without a root field passed validation');
  return root;
}

const fragmentsOf = (document: DocumentNode) =>
  new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );

/** The document with `_radiataStateKey_<field>: <field>` added to the root field's selection. */
function withStateKeys(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  root: FieldNode,
  fields: readonly string[],
): DocumentNode {
  if (fields.length === 0 || !root.selectionSet) return document;
  const added: FieldNode[] = fields.map((field) => ({
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: `${STATE_KEY_ALIAS}${field}` },
    name: { kind: Kind.NAME, value: field },
  }));
  const augmentedRoot: FieldNode = {
    ...root,
    selectionSet: { ...root.selectionSet, selections: [...root.selectionSet.selections, ...added] },
  };
  const replace = (selectionSet: SelectionSetNode): SelectionSetNode => ({
    ...selectionSet,
    selections: selectionSet.selections.map((selection) => {
      if (selection === root) return augmentedRoot;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        return { ...selection, selectionSet: replace(selection.selectionSet) };
      }
      return selection;
    }),
  });
  return {
    ...document,
    definitions: document.definitions.map((definition) => {
      if (definition === operation) return { ...operation, selectionSet: replace(operation.selectionSet) };
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        return { ...definition, selectionSet: replace(definition.selectionSet) } satisfies FragmentDefinitionNode;
      }
      return definition;
    }),
  };
}
