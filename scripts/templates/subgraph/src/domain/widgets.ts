import type { Viewer } from '@radiata/auth-context';
import { conflict, notFound } from '@radiata/errors';
import {
  type Connection,
  isId,
  isUniqueViolation,
  newestFirst,
  newId,
  type PageRequest,
  requireRole,
  validateInput,
} from '@radiata/service-runtime';
import { z } from 'zod';
import type { Widget } from '../generated/prisma/client.js';
import { recordEvents } from '../messaging/widgetry-events.js';
import type { Database } from '../persistence/database.js';

export type WidgetRecord = Widget;

const createWidgetInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
});

/** Widgets: who may create them, what a valid one is, and the event each creation publishes. */
export class Widgets {
  constructor(private readonly db: Database) {}

  /** A widget by id, or NOT_FOUND. Anyone may read widgets. */
  async get(widgetId: string): Promise<WidgetRecord> {
    const widget = isId(widgetId) ? await this.db.widget.findUnique({ where: { id: widgetId } }) : null;
    if (!widget) throw notFound('Widget');
    return widget;
  }

  /** Newest first. */
  list(page: PageRequest): Promise<Connection<WidgetRecord>> {
    return newestFirst(page, ({ idBelow, take }) =>
      this.db.widget.findMany({ where: idBelow ? { id: { lt: idBelow } } : {}, orderBy: { id: 'desc' }, take }),
    );
  }

  /** ADMIN only. A name already taken is CONFLICT. Publishes widgetry.widget.created with the change. */
  async create(viewer: Viewer | null, input: unknown): Promise<WidgetRecord> {
    const admin = requireRole(viewer, 'ADMIN');
    const { name } = validateInput(createWidgetInput, input);
    try {
      return await this.db.$transaction(async (tx) => {
        const widget = await tx.widget.create({ data: { id: newId(), name, createdBy: admin.id } });
        await recordEvents(tx, [
          {
            routingKey: 'widgetry.widget.created',
            payload: { widgetId: widget.id, name, occurredAt: widget.createdAt.toISOString() },
          },
        ]);
        return widget;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A widget named "${name}" already exists`);
      throw error;
    }
  }
}
