import type { RequestContext } from '@radiata/service-runtime';
import type { Widgets } from './domain/widgets.js';
import type { WidgetryLoaders } from './loaders.js';
import type { Database } from './persistence/database.js';

export interface WidgetryServices {
  readonly db: Database;
  readonly widgets: Widgets;
}

export interface WidgetryContext extends RequestContext, WidgetryServices {
  readonly loaders: WidgetryLoaders;
}
