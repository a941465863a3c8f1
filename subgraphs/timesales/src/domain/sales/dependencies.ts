import type { Clock } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { Database } from '../../persistence/database.js';
import type { TimesalesKeyspace } from '../../redis/keys.js';
import type { CatalogProjection } from '../catalog/projection.js';
import type { SaleAnnouncements } from '../schedule/announcements.js';

/** What the services that define sales (TimeSales, SaleProducts) work with. */
export interface SalesDependencies {
  readonly db: Database;
  readonly redis: Redis;
  readonly keyspace: TimesalesKeyspace;
  readonly clock: Clock;
  readonly projection: CatalogProjection;
  readonly announcements: SaleAnnouncements;
}
