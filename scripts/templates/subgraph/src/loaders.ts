import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { WidgetRecord } from './domain/widgets.js';
import type { Database } from './persistence/database.js';

export interface WidgetryLoaders {
  /** Widgets by id; null for unknown or malformed ids. */
  readonly widgetById: DataLoader<string, WidgetRecord | null>;
}

/** What the loaders read through (a part of WidgetryServices). */
export interface LoaderServices {
  readonly db: Database;
}

/** Per-request batching: one query per entity type per tick, whatever the list size. */
export function createLoaders({ db }: LoaderServices): WidgetryLoaders {
  return {
    widgetById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length ? await db.widget.findMany({ where: { id: { in: valid } } }) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
