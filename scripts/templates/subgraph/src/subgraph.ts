import { defineSubgraph, eventPublishing, postgres, type ServicesKit } from '@radiata/service-runtime';
import { type WidgetryConfig, widgetryConfig } from './config.js';
import type { WidgetryContext, WidgetryServices } from './context.js';
import { Widgets } from './domain/widgets.js';
import { createLoaders } from './loaders.js';
import { WIDGETRY_EXCHANGE } from './messaging/widgetry-events.js';
import { createDatabase, type Database } from './persistence/database.js';
import { WidgetResolver } from './resolvers/widget.resolver.js';

export interface WidgetryResources {
  readonly db: Database;
}

export function createWidgetryServices({ db }: WidgetryResources, _kit: ServicesKit<WidgetryConfig>): WidgetryServices {
  return { db, widgets: new Widgets(db) };
}

/** Widgets (replace with what this subgraph owns). */
export const widgetrySubgraph = defineSubgraph({
  name: 'widgetry',
  config: widgetryConfig,
  schema: { resolvers: [WidgetResolver] },
  async start(kit) {
    const db = await kit.use(postgres(createDatabase));
    await kit.use(eventPublishing(WIDGETRY_EXCHANGE));
    const services = createWidgetryServices({ db }, kit);
    return {
      services,
      createContext: (request): WidgetryContext => ({ ...request, ...services, loaders: createLoaders(services) }),
    };
  },
});
