import 'reflect-metadata';
import { runSubgraph } from '@radiata/service-runtime';
import { usersSubgraph } from './subgraph.js';

await runSubgraph(usersSubgraph);
