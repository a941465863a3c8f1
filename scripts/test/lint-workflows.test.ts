// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the workflows' `${{ }}` expressions are meant literally.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { bin, repoRoot } from '../lib/paths.js';
import { findShellcheck, formatProblem, lintWorkflow, workflowFiles } from '../lib/workflow-lint.js';

const run = promisify(execFile);

/** A workflow of one job whose runner and steps are given. */
const workflow = (runsOn: string, steps: string) =>
  `on: push\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ${runsOn}\n    steps:\n${steps}\n`;

let shellcheck: string;
beforeAll(async () => {
  shellcheck = await findShellcheck();
}, 120_000);

describe('lintWorkflow', () => {
  it('passes every workflow of the repository', async () => {
    const files = workflowFiles();
    expect(files.map((file) => path.relative(repoRoot, file))).toContain('.github/workflows/ci.yml');
    for (const file of files) expect(await lintWorkflow(readFileSync(file, 'utf8'), file, shellcheck)).toEqual([]);
  });

  it('reports an unknown runner label where it is', async () => {
    const problems = await lintWorkflow(workflow('ubuntu-lates', '      - run: echo hi'), 'ci.yml');
    expect(problems).toEqual([
      expect.objectContaining({
        line: 6,
        column: 14,
        kind: 'runner-label',
        message: expect.stringContaining('"ubuntu-lates"'),
      }),
    ]);
  });

  it('reports an unknown function, context property and job in expressions', async () => {
    const text = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    needs: [setup]',
      '    steps:',
      "      - if: ${{ startWith(github.ref, 'refs/tags/v') }}",
      '        run: echo "${{ github.commit }}"',
    ].join('\n');
    const problems = await lintWorkflow(text, 'ci.yml');
    expect(problems.map(({ line, kind }) => `${line} ${kind}`)).toEqual([
      '3 job-needs',
      '7 expression',
      '8 expression',
    ]);
    expect(problems[1]?.message).toContain('undefined function "startWith"');
    expect(problems[2]?.message).toContain('property "commit" is not defined');
  });

  it('accepts what GitHub added after the linter was built (vars, newer runners), nothing near it', async () => {
    const steps = '      - run: echo "${{ vars.IMAGE_REGISTRY }}"';
    expect(await lintWorkflow(workflow('ubuntu-24.04', steps), 'ci.yml')).toEqual([]);
    const misspelt = await lintWorkflow(
      workflow('ubuntu-24.4', '      - run: echo "${{ varz.IMAGE_REGISTRY }}"'),
      'ci.yml',
    );
    expect(misspelt.map((problem) => problem.kind)).toEqual(['runner-label', 'expression']);
    expect(misspelt[1]?.message).toContain('undefined variable "varz"');
  });

  it('reports a YAML syntax error instead of stopping', async () => {
    // A flow mapping with an unquoted expression: the WebAssembly build traps on it.
    const steps = "      - uses: docker/build-push-action@v6\n        with: { push: ${{ github.ref_type == 'tag' }} }";
    const problems = await lintWorkflow(workflow('ubuntu-24.04', steps), 'ci.yml');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => problem.kind === 'yaml' && problem.line === 9)).toBe(true);
  });

  it("runs shellcheck on the steps' scripts, at their lines and columns, with expressions left out", async () => {
    const steps = [
      '      - run: echo "${{ github.sha }}" $FOO',
      '      - run: |',
      '          echo start',
      '          cd $HOME',
      '      - shell: python',
      '        run: print($x)',
    ].join('\n');
    const text = workflow('ubuntu-24.04', steps);
    const problems = await lintWorkflow(text, 'ci.yml', shellcheck);
    expect(problems.map(({ line, column, message }) => `${line}:${column} ${message.slice(0, 6)}`)).toEqual([
      '8:39 SC2086',
      '11:11 SC2164',
      '11:14 SC2086',
    ]);
    expect(formatProblem(problems[1]!, text)).toBe(
      [
        "ci.yml:11:11: SC2164 (warning): Use 'cd ... || exit' or 'cd ... || return' in case cd fails. [shellcheck]",
        '            cd $HOME',
        '            ^',
      ].join('\n'),
    );
  });
});

describe('npm run lint:workflows', () => {
  it('exits 1 naming each problem of a broken workflow, and 0 for a good one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'radiata-workflows-'));
    const broken = path.join(dir, 'broken.yml');
    writeFileSync(broken, workflow('ubuntu-lates', '      - run: echo "${{ github.commit }}"'));
    const failed = await run(bin('tsx'), ['scripts/lint-workflows.ts', broken], { cwd: repoRoot }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/broken\.yml:6:14: label "ubuntu-lates" is unknown/);
    expect(failed?.stderr).toMatch(/broken\.yml:8:.*property "commit" is not defined/);
    expect(failed?.stderr).toContain('2 problem(s)');

    const good = path.join(dir, 'good.yml');
    writeFileSync(good, workflow('ubuntu-24.04', '      - run: echo "${{ github.sha }}"'));
    const { stdout } = await run(bin('tsx'), ['scripts/lint-workflows.ts', good], { cwd: repoRoot });
    expect(stdout).toMatch(/good\.yml ok/);
  }, 60_000);
});

describe('the CI workflow', () => {
  const ci = parse(readFileSync(path.join(repoRoot, '.github/workflows/ci.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { run?: string }[]; strategy?: { matrix: { include: Record<string, string>[] } } }>;
  };

  it('builds every image docker-compose.yml builds', () => {
    const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { build?: { target?: string; args?: Record<string, string> } }>;
    };
    const built = Object.values(compose.services)
      .flatMap(({ build }) => (build ? [`${build.args?.SERVICE ?? ''} ${build.target}`] : []))
      .sort();
    const matrix = ci.jobs.images?.strategy?.matrix.include.map(({ service, target }) => `${service} ${target}`);
    expect(built.length).toBeGreaterThan(8);
    expect(matrix?.sort()).toEqual(built);
  });

  it('runs the commands of .ci/run', () => {
    const runs = ci.jobs.test?.steps.map((step) => step.run ?? '').join('\n') ?? '';
    const ciRun = readFileSync(path.join(repoRoot, '.ci/run'), 'utf8');
    const commands = [...ciRun.matchAll(/^step "[^"]+" ((?:npm|turbo) .+)$/gm)].map((match) => match[1]);
    expect(commands).toEqual(expect.arrayContaining(['npm run lint:workflows', 'npm run test:coverage']));
    for (const command of commands) expect(runs).toContain(command);
  });
});
