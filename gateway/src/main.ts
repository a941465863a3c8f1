import { createLogger } from '@radiata/observability';
import { stopOnSignals } from '@radiata/service-runtime';
import { loadGatewayConfig, subgraphUrlOverrides } from './config.js';
import { startGateway } from './server.js';
import { readSupergraph } from './supergraph.js';

const config = loadGatewayConfig();
const logger = createLogger('gateway', config.LOG_LEVEL);
const gateway = await startGateway(config, logger, {
  supergraphSdl: readSupergraph(config.SUPERGRAPH_PATH),
  subgraphUrls: subgraphUrlOverrides(process.env),
});
stopOnSignals(() => gateway.stop(), logger);
