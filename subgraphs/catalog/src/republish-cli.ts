// `npm run catalog:republish`: a snapshot event of every brand grade (catalog.grade.changed), every
// brand, deleted ones included (catalog.brand.changed), and every live product
// (catalog.product.created), through the outbox (a running catalog's relay publishes them), for
// event consumers that joined after these were created (e.g. a new timesales deployment, or
// payments' replica of brand grades). Reads DATABASE_URL.
import { loadConfig } from '@radiata/config';
import { systemClock } from '@radiata/service-runtime';
import { catalogConfig } from './config.js';
import { republishCatalog } from './domain/republish.js';
import { recordEvents } from './messaging/catalog-events.js';
import { createDatabase } from './persistence/database.js';

const config = loadConfig('catalog:republish', catalogConfig.pick({ DATABASE_URL: true }));
const db = createDatabase({ url: config.DATABASE_URL, poolSize: 2 });
try {
  const { grades, brands, products } = await republishCatalog(db, recordEvents, systemClock);
  console.log(
    `enqueued a snapshot of ${grades} brand grade(s) (catalog.grade.changed), ${brands} brand(s) (catalog.brand.changed) ` +
      `and ${products} product(s) (catalog.product.created); the catalog's outbox relay publishes them`,
  );
} finally {
  await db.$disconnect();
}
