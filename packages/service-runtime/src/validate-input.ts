import { badUserInput } from '@radiata/errors';
import type { z } from 'zod';

/**
 * Parses client input with a zod schema; on failure a BAD_USER_INPUT error lists every
 * problem with its input path (e.g. `input.email`), so a form can show each one.
 */
export function validateInput<S extends z.ZodType>(schema: S, value: unknown, argument = 'input'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: [argument, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw badUserInput(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}
