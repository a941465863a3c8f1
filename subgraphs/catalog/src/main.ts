import 'reflect-metadata';
import { runSubgraph } from '@radiata/service-runtime';
import { catalogSubgraph } from './subgraph.js';

await runSubgraph(catalogSubgraph);
