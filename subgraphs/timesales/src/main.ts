import 'reflect-metadata';
import { runSubgraph } from '@radiata/service-runtime';
import { timesalesSubgraph } from './subgraph.js';

await runSubgraph(timesalesSubgraph);
