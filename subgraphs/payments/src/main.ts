import 'reflect-metadata';
import { runSubgraph } from '@radiata/service-runtime';
import { paymentsSubgraph } from './subgraph.js';

await runSubgraph(paymentsSubgraph);
