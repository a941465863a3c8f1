import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { debianTool } from './debian-tool.js';

const run = promisify(execFile);

/** Debian's `prometheus` package (2.42) carries promtool: fetched once, never installed. */
export const getPromtool = (): Promise<string> => debianTool('prometheus', 'promtool');

export interface PromtoolResult {
  readonly ok: boolean;
  /** stdout and stderr. */
  readonly output: string;
}

/** Runs `promtool <args>`; a non-zero exit is `ok: false`, not an exception. */
export async function promtool(args: readonly string[], cwd?: string): Promise<PromtoolResult> {
  const binary = await getPromtool();
  try {
    const { stdout, stderr } = await run(binary, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` || String(error) };
  }
}

/**
 * The expressions promtool cannot parse, as "<where>: <promtool's message>": they are checked as
 * the recording rules of a temporary rules file (`promtool check rules`).
 */
export async function unparsableExpressions(
  queries: readonly { readonly where: string; readonly expr: string }[],
): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'radiata-promql-'));
  try {
    const file = path.join(dir, 'queries.yml');
    const rules = queries.map(({ expr }, index) => ({ record: `query_${index}`, expr }));
    writeFileSync(file, stringify({ groups: [{ name: 'queries', rules }] }));
    const result = await promtool(['check', 'rules', file]);
    if (result.ok) return [];
    const problems = [...result.output.matchAll(/"query_(\d+)": (.*)/g)].map(
      ([, index, message]) => `${queries[Number(index)]?.where}: ${message}`,
    );
    return problems.length > 0 ? problems : [result.output];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
