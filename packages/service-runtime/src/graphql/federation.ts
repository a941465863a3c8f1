import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import { buildSchema, type ClassType, createResolversMap, getMetadataStorage, type PubSub } from 'type-graphql';

/** Federation 2 directives a subgraph may use; the ones it does use are imported by its `@link`. */
const FEDERATION_DIRECTIVES = [
  'key',
  'shareable',
  'external',
  'requires',
  'provides',
  'inaccessible',
  'override',
  'tag',
  'interfaceObject',
  'composeDirective',
] as const;
const FEDERATION_VERSION = 'v2.11';

/** Resolver class → the method that resolves its entity's references. */
const referenceResolvers = new Map<object, string | symbol>();

/**
 * Marks the method of an entity's resolver class (`@Resolver(() => Product)`) that resolves a
 * reference another subgraph sent (`_entities`): called with the representation (`{ id }` for
 * `@key(fields: "id")`) and the request context; returns the entity, or null when there is none.
 */
export function ResolveReference(): MethodDecorator {
  return (target, propertyKey) => {
    referenceResolvers.set(target.constructor, propertyKey);
  };
}

/** Subscriptions declare their own `subscribe` functions; type-graphql's topic pub/sub is never used. */
const noTopicPubSub: PubSub = {
  publish: () => {
    throw new Error('type-graphql topics are not used: subscriptions declare `subscribe`');
  },
  subscribe: () => {
    throw new Error('type-graphql topics are not used: subscriptions declare `subscribe`');
  },
};

export interface SchemaClasses {
  /** type-graphql resolver classes: their operations, and every type they reach. */
  readonly resolvers: readonly [ClassType, ...ClassType[]];
  /** Types no operation reaches (e.g. an entity only other subgraphs return). */
  readonly orphanedTypes?: readonly ClassType[];
}

export interface FederatedSchema {
  /** The executable subgraph schema (`_service`, `_entities` included). */
  readonly schema: GraphQLSchema;
  /** What rover composes: the subgraph SDL with its `@link`, directives and descriptions. */
  readonly sdl: string;
}

function entityName(resolverClass: ClassType): string {
  const storage = getMetadataStorage();
  const entity = storage.resolverClasses.find((resolver) => resolver.target === resolverClass)?.getObjectType?.();
  const name = entity && storage.objectTypes.find((type) => type.target === entity)?.name;
  if (!name) {
    throw new Error(`${resolverClass.name}: @ResolveReference needs @Resolver(() => EntityType) on its class`);
  }
  return name;
}

/**
 * type-graphql classes → an Apollo Federation 2 subgraph schema: the type-graphql schema printed
 * with its directives (`@key`, `@shareable`… given with `@Directive`), the `@link` importing the
 * federation directives it uses, and type-graphql's resolvers plus each `@ResolveReference`.
 */
export async function buildFederatedSchema(classes: SchemaClasses): Promise<FederatedSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: classes.resolvers,
    orphanedTypes: [...(classes.orphanedTypes ?? [])],
    pubSub: noTopicPubSub,
    validate: false,
    // No Query is fine for now, and federation adds its own fields: check the subgraph schema instead.
    skipCheck: true,
  });
  const printed = printSchemaWithDirectives(typeGraphqlSchema);
  const used = FEDERATION_DIRECTIVES.filter((name) => new RegExp(`@${name}\\b`).test(printed));
  const link = `extend schema @link(url: "https://specs.apollo.dev/federation/${FEDERATION_VERSION}", import: [${used
    .map((name) => `"@${name}"`)
    .join(', ')}])`;

  const resolvers = createResolversMap(typeGraphqlSchema) as GraphQLResolverMap<unknown>;
  for (const resolverClass of classes.resolvers) {
    const method = referenceResolvers.get(resolverClass);
    if (method === undefined) continue;
    const instance = new resolverClass() as Record<string | symbol, (reference: object, context: unknown) => unknown>;
    const typeName = entityName(resolverClass);
    const fields = resolvers[typeName] as Record<string, unknown> | undefined;
    resolvers[typeName] = {
      ...fields,
      __resolveReference: (reference: object, context: unknown) => instance[method]?.(reference, context),
    } as GraphQLResolverMap<unknown>[string];
  }

  const schema = buildSubgraphSchema({ typeDefs: parse(`${link}\n\n${printed}`), resolvers });
  return { schema, sdl: printSubgraphSchema(schema) };
}
