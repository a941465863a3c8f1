import type { Clock } from '@radiata/service-runtime';
import { productEvents, type RecordEvents } from '../messaging/catalog-events.js';
import type { Database } from '../persistence/database.js';

const CHUNK = 500;

/**
 * Publishes a `catalog.product.created` snapshot (current price, stock, status, owner, version)
 * of every live product through the outbox, for consumers that joined after the products were
 * created: a topic exchange drops what no queue was bound for yet. Consumers apply it like any
 * created event (idempotently; a version they already hold changes nothing but what they lack).
 * Returns how many products were published.
 */
export async function republishProducts(db: Database, recordEvents: RecordEvents, clock: Clock): Promise<number> {
  let published = 0;
  let after: string | undefined;
  for (;;) {
    const products = await db.product.findMany({
      where: { deletedAt: null, ...(after ? { id: { gt: after } } : {}) },
      include: { brand: { select: { ownerId: true } } },
      orderBy: { id: 'asc' },
      take: CHUNK,
    });
    if (products.length === 0) return published;
    const at = clock.now();
    await db.$transaction((tx) =>
      recordEvents(
        tx,
        products.map(({ brand, ...product }) => productEvents.created({ ...product, ownerId: brand.ownerId }, at)),
      ),
    );
    published += products.length;
    after = products.at(-1)?.id;
  }
}
