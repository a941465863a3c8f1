import { env } from '@radiata/config';
import { z } from 'zod';

export const catalogConfig = z.object({
  ...env.subgraph(4002, 'radiata_catalog'),
  ...env.rabbitmq,
});

export type CatalogConfig = z.infer<typeof catalogConfig>;
