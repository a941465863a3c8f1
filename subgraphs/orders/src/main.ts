import 'reflect-metadata';
import { runSubgraph } from '@radiata/service-runtime';
import { ordersSubgraph } from './subgraph.js';

await runSubgraph(ordersSubgraph);
