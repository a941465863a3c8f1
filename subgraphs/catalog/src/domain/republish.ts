import type { Clock } from '@radiata/service-runtime';
import { brandEvents, gradeEvents, productEvents, type RecordEvents } from '../messaging/catalog-events.js';
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

/**
 * Publishes a `catalog.grade.changed` snapshot of every brand grade (its current version), for
 * consumers that joined late (payments' replica of fee rates). Returns how many were published.
 */
export async function republishGrades(db: Database, recordEvents: RecordEvents, clock: Clock): Promise<number> {
  let published = 0;
  let after: string | undefined;
  for (;;) {
    const grades = await db.brandGrade.findMany({
      where: after ? { code: { gt: after } } : {},
      orderBy: { code: 'asc' },
      take: CHUNK,
    });
    if (grades.length === 0) return published;
    const at = clock.now();
    await db.$transaction((tx) =>
      recordEvents(
        tx,
        grades.map((grade) => gradeEvents.changed(grade, at)),
      ),
    );
    published += grades.length;
    after = grades.at(-1)?.code;
  }
}

/**
 * Publishes a `catalog.brand.changed` snapshot of every brand, deleted ones included (`deleted:
 * true`), with its current version, for consumers that joined late (payments' replica of brand
 * grades and owners). Returns how many were published.
 */
export async function republishBrands(db: Database, recordEvents: RecordEvents, clock: Clock): Promise<number> {
  let published = 0;
  let after: string | undefined;
  for (;;) {
    const brands = await db.brand.findMany({
      where: after ? { id: { gt: after } } : {},
      orderBy: { id: 'asc' },
      take: CHUNK,
    });
    if (brands.length === 0) return published;
    const at = clock.now();
    await db.$transaction((tx) =>
      recordEvents(
        tx,
        brands.map((brand) => brandEvents.changed(brand, at)),
      ),
    );
    published += brands.length;
    after = brands.at(-1)?.id;
  }
}

export interface RepublishCounts {
  readonly grades: number;
  readonly brands: number;
  readonly products: number;
}

/** `npm run catalog:republish`: grades, then brands, then live products (each consumer applies what it binds). */
export async function republishCatalog(
  db: Database,
  recordEvents: RecordEvents,
  clock: Clock,
): Promise<RepublishCounts> {
  const grades = await republishGrades(db, recordEvents, clock);
  const brands = await republishBrands(db, recordEvents, clock);
  const products = await republishProducts(db, recordEvents, clock);
  return { grades, brands, products };
}
