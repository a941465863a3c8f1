import type { z } from 'zod';

/** Thrown at start-up when the environment does not satisfy a service's schema. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Set these environment variables (see README.md "Configuration") and start again.',
    );
    this.name = 'ConfigError';
  }
}

/**
 * Validates `source` (process.env by default) against `schema` and returns the typed config.
 * Every problem is reported at once, each naming its variable, so a misconfigured
 * deployment is fixed in one round instead of one crash per variable.
 */
export function loadConfig<T>(
  service: string,
  schema: z.ZodType<T>,
  source: Record<string, string | undefined> = process.env,
): T {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const received = source[String(issue.path[0])];
    return received === undefined
      ? `${variable} is missing: ${issue.message}`
      : `${variable} is malformed: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}
