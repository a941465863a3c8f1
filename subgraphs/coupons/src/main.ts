import 'reflect-metadata';
import { runSubgraph } from '@radiata/service-runtime';
import { couponsSubgraph } from './subgraph.js';

await runSubgraph(couponsSubgraph);
