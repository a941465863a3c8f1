import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { apiSchemaPath, apiSchemaPathFor, apiSchemaSdl, composeSupergraph, supergraphPath } from '../lib/compose.js';
import { readSubgraphs } from '../lib/subgraphs.js';

describe('the committed supergraph', () => {
  it('equals a fresh composition of the subgraph schemas listed in rover.yaml', () => {
    const result = composeSupergraph(readSubgraphs());
    if (!result.ok) throw new Error(`composition failed:\n${result.errors.join('\n')}`);
    expect(readFileSync(supergraphPath, 'utf8')).toBe(result.supergraphSdl);
  });

  it('has its API schema in schema/api.graphql: what clients see, without federation machinery', () => {
    const api = readFileSync(apiSchemaPath, 'utf8');
    expect(api).toBe(apiSchemaSdl(readFileSync(supergraphPath, 'utf8')));
    expect(api).not.toMatch(/@(join__|link|tag|inaccessible|federation__)|join__Graph|link__Import/);
    const schema = buildSchema(api);
    expect(schema.getQueryType()?.getFields()).toHaveProperty('products');
    expect(schema.getSubscriptionType()?.getFields()).toHaveProperty('timeSaleCountdown');
  });
});

describe('apiSchemaPathFor', () => {
  it('is schema/api.graphql for the committed supergraph, <name>.api.graphql beside any other', () => {
    expect(apiSchemaPathFor(supergraphPath)).toBe(apiSchemaPath);
    expect(apiSchemaPathFor('/tmp/try/next.graphql')).toBe('/tmp/try/next.api.graphql');
  });
});

describe('composeSupergraph', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'radiata-compose-'));
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const federation = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"])';
  const subgraph = (name: string, schemaFile: string) => ({
    name,
    routingUrl: `http://localhost:5000/${name}`,
    schemaFile,
    port: 5000,
    dir,
  });

  it('reports each composition error with its code', () => {
    const a = write(
      'a.graphql',
      `${federation}\ntype Query { thing: Thing }\ntype Thing @key(fields: "id") { id: ID! size: Int }`,
    );
    const b = write(
      'b.graphql',
      `${federation}\ntype Query { other: Thing }\ntype Thing @key(fields: "id") { id: ID! size: String }`,
    );
    const result = composeSupergraph([subgraph('a', a), subgraph('b', b)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join('\n')).toMatch(/\[FIELD_TYPE_MISMATCH\].*Thing\.size/);
  });

  it('names the file and position of a syntax error, and a missing file', () => {
    const broken = write('broken.graphql', `${federation}\ntype Query {\n  oops(: Int\n}`);
    const result = composeSupergraph([subgraph('broken', broken), subgraph('gone', path.join(dir, 'gone.graphql'))]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.stringMatching(/^\[INVALID_GRAPHQL\] broken: .*broken\.graphql:3:8: Syntax Error/),
      expect.stringMatching(/^\[SCHEMA_FILE_MISSING\] gone: .*gone\.graphql does not exist/),
    ]);
  });
});

describe('readSubgraphs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'radiata-rover-'));
  const config = (text: string): string => {
    const file = path.join(dir, `rover-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return file;
  };

  it('reads name, routing URL, port and schema path (relative to the config file)', () => {
    const file = config(
      'federation_version: =2.14.4\nsubgraphs:\n  users:\n    routing_url: http://localhost:4001/graphql\n    schema:\n      file: ./users.graphql\n',
    );
    expect(readSubgraphs(file)).toEqual([
      expect.objectContaining({
        name: 'users',
        routingUrl: 'http://localhost:4001/graphql',
        port: 4001,
        schemaFile: path.join(dir, 'users.graphql'),
      }),
    ]);
  });

  it('rejects an entry without routing_url or schema file, naming the subgraph', () => {
    expect(() => readSubgraphs(config('subgraphs:\n  users:\n    schema:\n      file: x.graphql\n'))).toThrow(
      /subgraph "users" has no routing_url/,
    );
    expect(() =>
      readSubgraphs(
        config(
          'subgraphs:\n  users:\n    routing_url: http://localhost:1/graphql\n    schema:\n      subgraph_url: http://x\n',
        ),
      ),
    ).toThrow(/subgraph "users" needs schema.file/);
    expect(() => readSubgraphs(config('federation_version: =2.14.4\n'))).toThrow(/no subgraphs listed/);
  });
});
