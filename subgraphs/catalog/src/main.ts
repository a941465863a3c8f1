import { createLogger } from '@radiata/observability';
import { stopOnSignals } from '@radiata/service-runtime';
import { loadCatalogConfig } from './config.js';
import { startCatalogSubgraph } from './service.js';

const config = loadCatalogConfig();
const logger = createLogger('catalog', config.LOG_LEVEL);
const subgraph = await startCatalogSubgraph(config, logger);
stopOnSignals(() => subgraph.stop(), logger);
