import 'reflect-metadata';
import { runSubgraph } from '@radiata/service-runtime';
import { widgetrySubgraph } from './subgraph.js';

await runSubgraph(widgetrySubgraph);
