import cluster from 'node:cluster';
import { createLogger } from '@radiata/observability';
import { stopOnSignals } from '@radiata/service-runtime';
import { reportWorkerReady, runGatewayPrimary } from './cluster.js';
import { loadGatewayConfig, subgraphUrlOverrides } from './config.js';

const config = loadGatewayConfig();
const logger = createLogger('gateway', config.LOG_LEVEL);
const clustered = config.GATEWAY_WORKERS > 1;

if (clustered && cluster.isPrimary) {
  await runGatewayPrimary(config, logger);
} else {
  // Loaded here only: a cluster's primary never serves GraphQL and keeps none of it in memory.
  const { startGateway, startGatewayWorker } = await import('./server.js');
  const { readSupergraph } = await import('./supergraph.js');
  const options = {
    supergraphSdl: readSupergraph(config.SUPERGRAPH_PATH),
    subgraphUrls: subgraphUrlOverrides(process.env),
  };
  const gateway = clustered
    ? await startGatewayWorker(config, logger.child({ worker: cluster.worker?.id }), options)
    : await startGateway(config, logger, options);
  stopOnSignals(() => gateway.stop(), logger);
  if (clustered) reportWorkerReady(gateway.url);
}
