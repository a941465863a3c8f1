/**
 * Resolves once `check` holds, polling every 20 ms; rejects after `timeoutMs`. The deadline only
 * bounds a test that would otherwise hang: keep it generous (the default is 30 s), since CI shares
 * two busy cores and a test must not depend on how fast something happens.
 */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
