// The artillery scenarios (load/) checked without running them: every GraphQL document they send
// is valid against the supergraph's API, every processor function a scenario names exists, and
// the midnight-sale timeline puts each part where it belongs relative to T0.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { type GraphQLSchema, parse as parseGraphql, validate } from 'graphql';
import { parse } from 'yaml';
import * as live from '../../load/processors/live.js';
import * as rush from '../../load/processors/rush.js';
import { supergraphPath } from '../lib/compose.js';
import { LEAD_SECONDS, overridesOf, type Phase, phasesOf, SCENARIOS, SIZES, WATCH_SECONDS } from '../lib/load/plan.js';
import { repoRoot } from '../lib/paths.js';

const scenariosDir = path.join(repoRoot, 'load', 'scenarios');
const api: GraphQLSchema = Supergraph.build(readFileSync(supergraphPath, 'utf8')).apiSchema().toGraphQLJSSchema();

interface ScenarioFile {
  readonly config: { readonly processor?: string; readonly phases?: readonly Phase[] };
  readonly scenarios: readonly Record<string, unknown>[];
}

const files = readdirSync(scenariosDir).filter((file) => file.endsWith('.yml'));
const scenarioFile = (file: string) => parse(readFileSync(path.join(scenariosDir, file), 'utf8')) as ScenarioFile;

/** Every value of `key` anywhere in `value` (the flows nest loops inside steps). */
function valuesOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, key));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([name, inner]) => [
      ...(name === key ? [inner] : []),
      ...valuesOf(inner, key),
    ]);
  }
  return [];
}

const problemsOf = (document: string) => validate(api, parseGraphql(document)).map((error) => error.message);

describe('load scenarios', () => {
  it('has one file per scenario the runner knows', () => {
    expect(files.sort()).toEqual(SCENARIOS.map((name) => `${name}.yml`).sort());
  });

  it.each(files)('%s sends only documents valid against the API schema', (file) => {
    const documents = valuesOf(scenarioFile(file).scenarios, 'query').filter((query) => typeof query === 'string');
    for (const document of documents)
      expect({ document, problems: problemsOf(document as string) }).toEqual({ document, problems: [] });
  });

  it('the processors subscribe and mutate with valid documents', () => {
    for (const document of [live.COUNTDOWN, live.PRICES, live.CHANGE_PRICE, rush.CLAIM, rush.CLAIM_RESULT]) {
      expect({ document, problems: problemsOf(document) }).toEqual({ document, problems: [] });
    }
  });

  it('the validation catches a wrong field', () => {
    expect(problemsOf('query { product(id: "1") { nameOfThing } }')).not.toEqual([]);
  });

  it.each(files)('%s names only functions its processor exports', async (file) => {
    const script = scenarioFile(file);
    expect(script.config.processor).toMatch(/^\.\.\/processors\/\w+\.ts$/);
    const processor = (await import(path.join(scenariosDir, script.config.processor as string))) as Record<
      string,
      unknown
    >;
    const named = ['beforeScenario', 'afterScenario', 'beforeRequest', 'afterResponse', 'function', 'whileTrue']
      .flatMap((key) => valuesOf(script.scenarios, key))
      .flatMap((value) => (Array.isArray(value) ? value : [value]));
    expect(named.length).toBeGreaterThan(0);
    for (const name of named)
      expect({ name, type: typeof processor[name as string] }).toEqual({ name, type: 'function' });
  });
});

describe('load plan', () => {
  const start = (phases: readonly Phase[]) =>
    phases.reduce((seconds, phase) => seconds + ('pause' in phase ? phase.pause : 0), 0);
  const end = (phases: readonly Phase[]) =>
    phases.reduce((seconds, phase) => seconds + ('pause' in phase ? phase.pause : phase.duration), 0);

  it.each(Object.values(SIZES))(
    'a $name midnight sale: the rush arrives before T0, checkouts after, browsing and watching span it',
    (size) => {
      const rushPhases = phasesOf('rush', size, true);
      expect(end(rushPhases)).toBeLessThan(LEAD_SECONDS);
      expect(start(phasesOf('checkout', size, true))).toBeGreaterThan(LEAD_SECONDS);
      expect(end(phasesOf('browse', size, true))).toBeGreaterThan(LEAD_SECONDS);
      const join = end(phasesOf('live', size, true));
      expect(join + WATCH_SECONDS).toBeGreaterThan(LEAD_SECONDS);
      expect(join).toBeLessThan(LEAD_SECONDS);
      // Every rush shopper arrives: one virtual user per shopper.
      expect(rushPhases).toEqual([expect.objectContaining({ arrivalCount: size.rushShoppers })]);
    },
  );

  it('checkouts alone start at once; the sale gives them room (the midnight sale fewer units than buyers)', () => {
    for (const size of Object.values(SIZES)) {
      expect(start(phasesOf('checkout', size, false))).toBe(0);
      expect(size.saleQuantity.alone).toBeGreaterThanOrEqual(size.buyers);
      expect(size.saleQuantity.midnight).toBeLessThan(size.buyers);
      expect(size.couponQuantity).toBeLessThan(size.rushShoppers);
    }
  });

  it('the default size relaxes latency ceilings only; --full keeps the scenario files’ own', () => {
    for (const scenario of SCENARIOS) {
      const relaxed = overridesOf(scenario, SIZES.default, false).config as {
        plugins?: { ensure?: { thresholds?: unknown[]; conditions?: unknown } };
      };
      expect(relaxed.plugins?.ensure?.thresholds?.length).toBeGreaterThan(0);
      expect(relaxed.plugins?.ensure?.conditions).toBeUndefined();
      expect(overridesOf(scenario, SIZES.full, false).config).not.toHaveProperty('plugins');
    }
  });
});
