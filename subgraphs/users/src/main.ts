import { createLogger } from '@radiata/observability';
import { stopOnSignals } from '@radiata/service-runtime';
import { loadUsersConfig } from './config.js';
import { startUsersSubgraph } from './service.js';

const config = loadUsersConfig();
const logger = createLogger('users', config.LOG_LEVEL);
const subgraph = await startUsersSubgraph(config, logger);
stopOnSignals(() => subgraph.stop(), logger);
