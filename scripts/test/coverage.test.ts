import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FileCoverageData } from 'istanbul-lib-coverage';
import {
  countedWorkspaceOf,
  formatTable,
  mergeCoverage,
  readThresholds,
  removeCoverageOutput,
  reportCoverage,
  summarize,
  thresholdFailures,
  workspaceCoverageFiles,
} from '../lib/coverage.js';
import { repoRoot } from '../lib/paths.js';

/** Coverage of a file whose statement i is on line i + 1, with one function and one if/else. */
function fileCoverage(file: string, statementHits: number[], functionHits: number, branchHits: [number, number]) {
  const loc = (line: number) => ({ start: { line, column: 0 }, end: { line, column: 10 } });
  const data: FileCoverageData = {
    path: file,
    statementMap: Object.fromEntries(statementHits.map((_, i) => [i, loc(i + 1)])),
    fnMap: { 0: { name: 'f', decl: loc(1), loc: loc(1), line: 1 } },
    branchMap: { 0: { loc: loc(2), type: 'if', locations: [loc(2), loc(3)], line: 2 } },
    s: Object.fromEntries(statementHits.map((hits, i) => [i, hits])),
    f: { 0: functionHits },
    b: { 0: branchHits },
  };
  return data;
}

/** A repository of three workspaces in a temporary directory, each with a source file. */
function fakeRepository() {
  const root = mkdtempSync(path.join(tmpdir(), 'radiata-coverage-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('package.json', JSON.stringify({ workspaces: ['packages/*', 'gateway'] }));
  for (const dir of ['packages/money', 'packages/testing', 'gateway']) write(`${dir}/package.json`, '{}');
  for (const file of ['packages/money/src/money.ts', 'gateway/src/main.ts', 'packages/testing/src/helper.ts']) {
    write(file, 'const a = 1;\nif (a) {\n} else {\n}\n');
  }
  const run = (workspace: string, task: string, files: Record<string, FileCoverageData>) =>
    write(`${workspace}/coverage/${task}/coverage-final.json`, JSON.stringify(files));
  const source = (file: string) => path.join(root, file);
  return { root, write, run, source };
}

describe('countedWorkspaceOf', () => {
  it("counts a workspace's src/ but not test support, generated code, tests or other files", () => {
    const at = (file: string) => countedWorkspaceOf(path.join(repoRoot, file));
    expect(at('subgraphs/users/src/subgraph.ts')).toBe('subgraphs/users');
    expect(at('packages/money/src/index.ts')).toBe('packages/money');
    expect(at('gateway/src/main.ts')).toBe('gateway');
    expect(at('packages/testing/src/database.ts')).toBeUndefined();
    expect(at('subgraphs/users/src/generated/prisma/client.ts')).toBeUndefined();
    expect(at('packages/money/src/money.test.ts')).toBeUndefined();
    expect(at('subgraphs/users/test/support.ts')).toBeUndefined();
    expect(at('scripts/lib/coverage.ts')).toBeUndefined();
    expect(at('node_modules/@radiata/money/src/index.ts')).toBeUndefined();
  });
});

describe('merging the workspaces’ coverage', () => {
  it('adds up the hits of every run on a file and sums each workspace and the total', () => {
    const { root, run, source } = fakeRepository();
    const money = source('packages/money/src/money.ts');
    const gateway = source('gateway/src/main.ts');
    // The money package's own tests reach two of its four statements, the gateway's a third.
    run('packages/money', 'test', { [money]: fileCoverage(money, [1, 1, 0, 0], 1, [1, 0]) });
    run('gateway', 'test', {
      [money]: fileCoverage(money, [2, 0, 5, 0], 0, [0, 0]),
      [gateway]: fileCoverage(gateway, [1, 0], 0, [0, 0]),
      [source('packages/testing/src/helper.ts')]: fileCoverage(
        source('packages/testing/src/helper.ts'),
        [1],
        1,
        [1, 1],
      ),
    });
    run('gateway', 'test-saga', { [gateway]: fileCoverage(gateway, [0, 3], 1, [0, 2]) });

    const files = workspaceCoverageFiles(root);
    expect(files.map((file) => path.relative(root, file))).toEqual([
      'packages/money/coverage/test/coverage-final.json',
      'gateway/coverage/test/coverage-final.json',
      'gateway/coverage/test-saga/coverage-final.json',
    ]);
    const map = mergeCoverage(files, root);
    expect(map.files().sort()).toEqual([gateway, money].sort());
    expect(map.fileCoverageFor(money).s).toEqual({ 0: 3, 1: 1, 2: 5, 3: 0 });

    const rows = summarize(map, root);
    expect(rows.map((row) => row.name)).toEqual(['gateway', 'packages/money', 'total']);
    const [gatewayRow, moneyRow, total] = rows;
    expect(moneyRow?.summary.statements).toMatchObject({ covered: 3, total: 4, pct: 75 });
    expect(moneyRow?.summary.branches).toMatchObject({ covered: 1, total: 2, pct: 50 });
    expect(gatewayRow?.summary.statements).toMatchObject({ covered: 2, total: 2, pct: 100 });
    expect(gatewayRow?.summary.functions).toMatchObject({ covered: 1, total: 1 });
    expect(total?.summary.statements).toMatchObject({ covered: 5, total: 6 });
    expect(total?.summary.lines).toMatchObject({ covered: 5, total: 6 });
    expect(total?.summary.functions).toMatchObject({ covered: 2, total: 2, pct: 100 });
    expect(total?.summary.branches).toMatchObject({ covered: 2, total: 4, pct: 50 });

    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^workspace\s+lines\s+statements\s+functions\s+branches$/);
    expect(table.at(-1)).toMatch(
      /^total\s+83\.33% \(5\/6\)\s+83\.33% \(5\/6\)\s+100\.00% \(2\/2\)\s+50\.00% \(2\/4\)$/,
    );
  });

  it('writes lcov, HTML and a JSON summary to coverage/, and fails below the thresholds', () => {
    const { root, run, write, source } = fakeRepository();
    const money = source('packages/money/src/money.ts');
    run('packages/money', 'test', { [money]: fileCoverage(money, [1, 1, 1, 0], 1, [1, 0]) });
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      write('coverage-thresholds.json', JSON.stringify({ lines: 75, statements: 75, functions: 100, branches: 50 }));
      expect(reportCoverage(root)).toBe(true);
      expect(readFileSync(path.join(root, 'coverage/lcov.info'), 'utf8')).toContain('SF:packages/money/src/money.ts\n');
      expect(existsSync(path.join(root, 'coverage/index.html'))).toBe(true);
      const summary = JSON.parse(readFileSync(path.join(root, 'coverage/coverage-summary.json'), 'utf8'));
      expect(summary.total.statements).toMatchObject({ covered: 3, total: 4, pct: 75 });
      expect(error).not.toHaveBeenCalled();

      write('coverage-thresholds.json', JSON.stringify({ lines: 76, statements: 75, functions: 100, branches: 51 }));
      expect(reportCoverage(root)).toBe(false);
      const messages = error.mock.calls.map((call) => String(call[0]));
      expect(messages).toEqual([
        expect.stringContaining('lines: 75.00% is below the threshold of 76%'),
        expect.stringContaining('branches: 50.00% is below the threshold of 51%'),
      ]);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  });

  it('fails when no workspace wrote coverage, and removes a previous run’s output', () => {
    const { root, run, write, source } = fakeRepository();
    write('coverage-thresholds.json', JSON.stringify({ lines: 0, statements: 0, functions: 0, branches: 0 }));
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(reportCoverage(root)).toBe(false);
      expect(String(error.mock.calls[0]?.[0])).toContain('no workspace wrote coverage');
    } finally {
      error.mockRestore();
    }
    const money = source('packages/money/src/money.ts');
    run('packages/money', 'test', { [money]: fileCoverage(money, [1], 1, [1, 1]) });
    write('coverage/index.html', 'old');
    removeCoverageOutput(root);
    expect(workspaceCoverageFiles(root)).toEqual([]);
    expect(existsSync(path.join(root, 'coverage'))).toBe(false);
  });
});

describe('thresholds', () => {
  it('the committed coverage-thresholds.json names a percentage for every metric', () => {
    const thresholds = readThresholds();
    for (const value of Object.values(thresholds)) expect(value).toBeGreaterThan(0);
  });

  it('rejects a missing or out-of-range value', () => {
    const { root, write } = fakeRepository();
    write('t.json', JSON.stringify({ lines: 80, statements: 80, functions: 80 }));
    expect(() => readThresholds(path.join(root, 't.json'))).toThrow(
      '"branches" must be a percentage (0-100), got undefined',
    );
    write('t.json', JSON.stringify({ lines: 180, statements: 80, functions: 80, branches: 80 }));
    expect(() => readThresholds(path.join(root, 't.json'))).toThrow('"lines" must be a percentage (0-100), got 180');
  });

  it('passes at the threshold and fails just below it', () => {
    const { root, run, source } = fakeRepository();
    const money = source('packages/money/src/money.ts');
    run('packages/money', 'test', { [money]: fileCoverage(money, [1, 1, 1, 0], 1, [1, 0]) });
    const total = summarize(mergeCoverage(workspaceCoverageFiles(root), root), root).at(-1)!.summary;
    expect(thresholdFailures(total, { lines: 75, statements: 75, functions: 100, branches: 50 })).toEqual([]);
    expect(thresholdFailures(total, { lines: 75.01, statements: 75, functions: 100, branches: 50 })).toEqual([
      'lines: 75.00% is below the threshold of 75.01%',
    ]);
  });
});

describe('the Jest transform under --coverage', () => {
  const transform = createRequire(import.meta.url)('../../jest.transform.cjs') as {
    process(source: string, file: string, options: object): { code: string };
  };
  // A package's source, outside the scripts workspace that runs this test: Jest's own
  // instrumenter would leave it out.
  const file = path.join(repoRoot, 'packages/money/src/index.ts');
  const source = readFileSync(file, 'utf8');

  it('instruments files of other workspaces, keeping the way back to the TypeScript', () => {
    const { code } = transform.process(source, file, { instrument: true, supportsStaticESM: false });
    expect(code).toContain('statementMap');
    expect(code).toContain(JSON.stringify(file));
    expect(code).toContain('inputSourceMap');
  });

  it('leaves the code uninstrumented without --coverage', () => {
    const { code } = transform.process(source, file, { instrument: false, supportsStaticESM: false });
    expect(code).not.toContain('statementMap');
  });
});
