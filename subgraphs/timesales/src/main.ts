import { createLogger } from '@radiata/observability';
import { stopOnSignals } from '@radiata/service-runtime';
import { loadTimesalesConfig } from './config.js';
import { startTimesalesSubgraph } from './service.js';

const config = loadTimesalesConfig();
const logger = createLogger('timesales', config.LOG_LEVEL);
const subgraph = await startTimesalesSubgraph(config, logger);
stopOnSignals(() => subgraph.stop(), logger);
