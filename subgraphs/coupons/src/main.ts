import { createLogger } from '@radiata/observability';
import { stopOnSignals } from '@radiata/service-runtime';
import { loadCouponsConfig } from './config.js';
import { startCouponsSubgraph } from './service.js';

const config = loadCouponsConfig();
const logger = createLogger('coupons', config.LOG_LEVEL);
const subgraph = await startCouponsSubgraph(config, logger);
stopOnSignals(() => subgraph.stop(), logger);
