// `npm run catalog:republish`: a snapshot event of every live product, through the outbox (a
// running catalog's relay publishes it), for event consumers that joined after the products
// were created (e.g. a new timesales deployment). Reads DATABASE_URL.
import { loadConfig } from '@radiata/config';
import { systemClock } from '@radiata/service-runtime';
import { catalogConfig } from './config.js';
import { republishProducts } from './domain/republish.js';
import { recordEvents } from './messaging/catalog-events.js';
import { createDatabase } from './persistence/database.js';

const config = loadConfig('catalog:republish', catalogConfig.pick({ DATABASE_URL: true }));
const db = createDatabase({ url: config.DATABASE_URL, poolSize: 2 });
try {
  const published = await republishProducts(db, recordEvents, systemClock);
  console.log(
    `enqueued a catalog.product.created snapshot of ${published} product(s); the catalog's outbox relay publishes them`,
  );
} finally {
  await db.$disconnect();
}
