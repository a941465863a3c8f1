import { ConfigError } from '@radiata/config';
import type { Subgraph, SubgraphBaseConfig, SubgraphParts } from './define-subgraph.js';
import { stopOnSignals } from './lifecycle.js';

/**
 * A subgraph's process (its `main.ts`): configuration from the environment, start, and a
 * graceful stop on SIGTERM/SIGINT. A configuration problem is reported plainly, without a stack.
 */
export async function runSubgraph<TConfig extends SubgraphBaseConfig, TParts extends SubgraphParts>(
  subgraph: Subgraph<TConfig, TParts>,
): Promise<void> {
  let config: TConfig;
  try {
    config = subgraph.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const running = await subgraph.start({ config });
  stopOnSignals(() => running.stop(), running.logger);
}
