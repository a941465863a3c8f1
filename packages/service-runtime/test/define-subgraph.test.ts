import { env } from '@radiata/config';
import { graphql, signedContextHeaders, testLogger, testSecrets } from '@radiata/testing';
import { Arg, Ctx, Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import {
  DateTime,
  defineSubgraph,
  type RequestContext,
  ResolveReference,
  type Resource,
  type Started,
} from '../src/index.js';

const secrets = testSecrets();
const config = z.object({
  NODE_ENV: env.nodeEnv,
  LOG_LEVEL: env.logLevel,
  HOST: env.host,
  PORT: env.port(0),
  METRICS_PORT: env.port(0),
  GATEWAY_CONTEXT_SECRET: env.secret,
  GREETING: z.string().default('hello'),
});
const environment = { GATEWAY_CONTEXT_SECRET: secrets.GATEWAY_CONTEXT_SECRET, NODE_ENV: 'test', PORT: '0' };

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A thing the test subgraph owns.' })
class Thing {
  @Field(() => ID, { description: 'Its id.' })
  id!: string;

  @Field(() => String, { description: 'What it says.' })
  says!: string;

  @Field(() => DateTime, { description: 'When it was made.' })
  madeAt!: Date;
}

interface ThingsContext extends RequestContext {
  readonly greeting: string;
}

const made = new Date('2026-11-30T00:00:00.000Z');

@Resolver(() => Thing)
class ThingResolver {
  @ResolveReference()
  reference(reference: { id: string }, context: ThingsContext): Thing {
    return { id: reference.id, says: `${context.greeting} from a reference`, madeAt: made };
  }

  @Query(() => Thing, { nullable: true, description: 'A thing by id.' })
  thing(@Arg('id', () => ID, { description: 'Its id.' }) id: string, @Ctx() context: ThingsContext): Thing {
    return { id, says: `${context.greeting} ${context.viewer?.id ?? 'anonymous'}`, madeAt: made };
  }
}

/** A resource that records when it starts and stops, and reports readiness under `check`. */
function recorded(log: string[], name: string, check = name, fail: 'start' | 'never' = 'never'): Resource<string> {
  return (): Started<string> => {
    if (fail === 'start') throw new Error(`${name} could not start`);
    log.push(`start ${name}`);
    return {
      value: name,
      readiness: { [check]: async () => undefined },
      stop: () => {
        log.push(`stop ${name}`);
      },
      brokerNames: () => ({ exchanges: [`x.${name}`, 'x.shared'], queues: [`q.${name}`] }),
    };
  };
}

const thingsSubgraph = (log: string[], resources: (log: string[]) => Resource<string>[]) =>
  defineSubgraph({
    name: 'things',
    config,
    schema: { resolvers: [ThingResolver] },
    async start(kit) {
      const started: string[] = [];
      for (const resource of resources(log)) started.push(await kit.use(resource));
      return {
        services: { started, greeting: kit.config.GREETING },
        createContext: (request): ThingsContext => ({ ...request, greeting: kit.config.GREETING }),
      };
    },
  });

describe('defineSubgraph', () => {
  it('prints the SDL rover composes: @link with the directives used, @key, descriptions', async () => {
    const { sdl } = await thingsSubgraph([], () => []).schema();
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"])');
    expect(sdl).toMatch(/"""A thing the test subgraph owns\."""\ntype Thing\s+@key\(fields: "id"\)/);
    expect(sdl).toContain('"""An instant in time, ISO-8601 in UTC');
    expect(sdl).not.toContain('_entities');
  });

  it('starts resources in order, serves with their readiness, and stops them in reverse', async () => {
    const log: string[] = [];
    const subgraph = thingsSubgraph(log, (l) => [recorded(l, 'db', 'postgres'), recorded(l, 'cache', 'redis')]);
    const running = await subgraph.start({ env: { ...environment, GREETING: 'hi' }, logger: testLogger('things') });
    try {
      expect(running.services).toEqual({ started: ['db', 'cache'], greeting: 'hi' });
      const ready = await fetch(new URL('/readyz', running.url));
      expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
      expect(running.brokerNames()).toEqual({
        exchanges: ['x.db', 'x.shared', 'x.cache'],
        queues: ['q.db', 'q.cache'],
      });

      const headers = await signedContextHeaders({ id: 'u-1', role: 'CUSTOMER' }, secrets.GATEWAY_CONTEXT_SECRET);
      const answer = await graphql<{ thing: Thing; _entities: Thing[] }>(
        running.url,
        '{ thing(id: "t-1") { id says madeAt } _entities(representations: [{ __typename: "Thing", id: "t-2" }]) { ... on Thing { id says } } }',
        { headers },
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({
        thing: { id: 't-1', says: 'hi u-1', madeAt: '2026-11-30T00:00:00.000Z' },
        _entities: [{ id: 't-2', says: 'hi from a reference' }],
      });
    } finally {
      await running.stop();
    }
    expect(log).toEqual(['start db', 'start cache', 'stop cache', 'stop db']);
  });

  it('stops what had started, newest first, when a later resource fails to start', async () => {
    const log: string[] = [];
    const subgraph = thingsSubgraph(log, (l) => [
      recorded(l, 'db'),
      recorded(l, 'cache'),
      recorded(l, 'broker', 'broker', 'start'),
    ]);
    await expect(subgraph.start({ env: environment, logger: testLogger('things') })).rejects.toThrow(
      'broker could not start',
    );
    expect(log).toEqual(['start db', 'start cache', 'stop cache', 'stop db']);
  });

  it('refuses two resources reporting readiness under one name, and stops what started', async () => {
    const log: string[] = [];
    const subgraph = thingsSubgraph(log, (l) => [recorded(l, 'a', 'redis'), recorded(l, 'b', 'redis')]);
    await expect(subgraph.start({ env: environment, logger: testLogger('things') })).rejects.toThrow(
      'two resources report readiness as "redis"',
    );
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('reports every configuration problem at once, naming each variable', () => {
    expect(() => thingsSubgraph([], () => []).loadConfig({ PORT: 'eighty' })).toThrow(
      /PORT is malformed: must be a port number[\s\S]*GATEWAY_CONTEXT_SECRET is missing/,
    );
  });
});
