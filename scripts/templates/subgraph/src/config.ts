import { env } from '@radiata/config';
import { z } from 'zod';

export const widgetryConfig = z.object({
  ...env.subgraph(4099, 'radiata_widgetry'),
  ...env.rabbitmq,
});

export type WidgetryConfig = z.infer<typeof widgetryConfig>;
