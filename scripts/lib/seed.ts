// Demo data (`npm run seed`, the catalog benchmark, scripts/test/seed.test.ts): accounts, a
// category tree, brands and products, written through the subgraphs' own domain services so
// validation, password hashing and outbox events are exactly those of production.
// Imports the subgraphs' type-graphql classes: the Reflect metadata API must be there first.
import 'reflect-metadata';
import type { Viewer } from '@radiata/auth-context';
import { createDatabase as createCatalogDatabase } from '@radiata/catalog/database';
import { catalogSubgraph, createCatalogServices } from '@radiata/catalog/subgraph';
import { createLogger } from '@radiata/observability';
import { closeRedis, createRedis } from '@radiata/redis';
import { servicesKit } from '@radiata/service-runtime';
import { seededRandom } from '@radiata/testing';
import { createDatabase as createUsersDatabase } from '@radiata/users/database';
import { createUsersServices, usersSubgraph } from '@radiata/users/subgraph';

import { DEMO_PASSWORD, type DemoRole, demoAccounts } from './seed-accounts.js';

export { DEMO_PASSWORD, type DemoAccount, type DemoRole, demoAccounts } from './seed-accounts.js';

/** Root category → its children (the leaves products are filed under). */
export const demoCategories: Readonly<Record<string, readonly LeafCategory[]>> = {
  Clothing: ['Tops', 'Bottoms', 'Outerwear'],
  Shoes: ['Sneakers', 'Boots'],
  Accessories: ['Bags', 'Hats'],
};

export type LeafCategory = 'Tops' | 'Bottoms' | 'Outerwear' | 'Sneakers' | 'Boots' | 'Bags' | 'Hats';

export interface DemoBrand {
  readonly name: string;
  readonly ownerEmail: string;
  /** The leaf categories the brand sells in. */
  readonly sells: readonly LeafCategory[];
}

export const demoBrands: readonly DemoBrand[] = [
  { name: 'Hanbit Apparel', ownerEmail: 'seller1@radiata.dev', sells: ['Tops', 'Bottoms'] },
  { name: 'Seoul Basics', ownerEmail: 'seller1@radiata.dev', sells: ['Tops', 'Bottoms', 'Hats'] },
  { name: 'Namsan Outdoor', ownerEmail: 'seller2@radiata.dev', sells: ['Outerwear', 'Boots', 'Hats'] },
  { name: 'Jeju Knitworks', ownerEmail: 'seller2@radiata.dev', sells: ['Tops', 'Outerwear', 'Hats'] },
  { name: 'Busan Runners', ownerEmail: 'seller3@radiata.dev', sells: ['Sneakers', 'Tops', 'Bottoms'] },
  { name: 'Mapo Leather', ownerEmail: 'seller3@radiata.dev', sells: ['Bags', 'Boots'] },
  { name: 'Gangnam Studio', ownerEmail: 'seller4@radiata.dev', sells: ['Tops', 'Bottoms', 'Outerwear', 'Bags'] },
  { name: 'Hangang Caps & Co', ownerEmail: 'seller5@radiata.dev', sells: ['Hats', 'Bags'] },
];

export const DEMO_PRODUCT_COUNT = 300;

const GENDERS = ['ALL', 'MAN', 'WOMAN'] as const;
const COLORS = ['RED', 'ORANGE', 'YELLOW', 'GREEN', 'BLUE', 'NAVY', 'PURPLE'] as const;
const SIZES = ['SMALL', 'MEDIUM', 'LARGE', 'FREE'] as const;

export interface DemoProduct {
  /** Index into demoBrands. */
  readonly brand: number;
  readonly category: LeafCategory;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  readonly discountAmount: number;
  readonly gender: (typeof GENDERS)[number];
  readonly color: (typeof COLORS)[number];
  readonly size: (typeof SIZES)[number];
  readonly stockQuantity: number;
  /** Requested status: ON_SALE becomes SOLD_OUT when the stock is 0. */
  readonly status: 'ON_SALE' | 'HIDDEN';
}

/** The status the catalog gives a product (SOLD_OUT follows the stock outside HIDDEN). */
export const expectedStatus = (product: DemoProduct): 'ON_SALE' | 'SOLD_OUT' | 'HIDDEN' =>
  product.status === 'HIDDEN' ? 'HIDDEN' : product.stockQuantity > 0 ? 'ON_SALE' : 'SOLD_OUT';

const nouns: Record<LeafCategory, readonly string[]> = {
  Tops: ['T-Shirt', 'Oxford Shirt', 'Hoodie', 'Sweatshirt', 'Knit Sweater', 'Polo Shirt', 'Henley', 'Blouse'],
  Bottoms: ['Jeans', 'Chinos', 'Cargo Pants', 'Shorts', 'Joggers', 'Pleated Skirt', 'Wide Slacks'],
  Outerwear: ['Parka', 'Trench Coat', 'Puffer Jacket', 'Bomber Jacket', 'Blazer', 'Fleece Jacket', 'Cardigan'],
  Sneakers: ['Low-Top Sneakers', 'High-Top Sneakers', 'Running Shoes', 'Slip-Ons', 'Court Sneakers'],
  Boots: ['Chelsea Boots', 'Hiking Boots', 'Combat Boots', 'Ankle Boots'],
  Bags: ['Tote Bag', 'Backpack', 'Crossbody Bag', 'Sling Bag', 'Duffel Bag'],
  Hats: ['Baseball Cap', 'Bucket Hat', 'Beanie', 'Fedora', 'Visor'],
};

const adjectives = [
  'Relaxed',
  'Slim',
  'Oversized',
  'Classic',
  'Washed',
  'Cropped',
  'Everyday',
  'Vintage',
  'Essential',
  'Heavyweight',
  'Lightweight',
  'Signature',
];

const materials: Record<LeafCategory, readonly string[]> = {
  Tops: ['Cotton', 'Linen', 'Jersey', 'Merino', 'Waffle'],
  Bottoms: ['Denim', 'Twill', 'Corduroy', 'Nylon', 'Wool'],
  Outerwear: ['Down', 'Wool', 'Gore-Tex', 'Suede', 'Fleece'],
  Sneakers: ['Canvas', 'Mesh', 'Leather', 'Knit'],
  Boots: ['Leather', 'Suede', 'Waxed'],
  Bags: ['Canvas', 'Leather', 'Nylon', 'Vegan Leather'],
  Hats: ['Cotton', 'Wool', 'Corduroy', 'Nylon'],
};

/** Regular price range in won, per category. */
const priceRange: Record<LeafCategory, readonly [number, number]> = {
  Tops: [19_000, 89_000],
  Bottoms: [29_000, 129_000],
  Outerwear: [79_000, 399_000],
  Sneakers: [59_000, 229_000],
  Boots: [89_000, 299_000],
  Bags: [29_000, 259_000],
  Hats: [15_000, 49_000],
};

/**
 * The demo products, deterministic: the same list on every machine and every run. Brands take
 * turns (product i belongs to brand i mod 8), so any page of the newest products spans brands.
 */
export function generateDemoProducts(count = DEMO_PRODUCT_COUNT, seed = 20261125): DemoProduct[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  return Array.from({ length: count }, (_, index) => {
    const brand = index % demoBrands.length;
    const category = pick(demoBrands[brand]!.sells);
    const adjective = pick(adjectives);
    const material = pick(materials[category]);
    const noun = pick(nouns[category]);
    const [min, max] = priceRange[category];
    // Prices end in 900 won (e.g. 39,900): rounded to 100.
    const price = Math.ceil(between(min, max) / 1000) * 1000 - 100;
    // Half are discounted, by 5–40 % rounded to 100 won.
    const discountAmount = random() < 0.5 ? 0 : Math.max(100, Math.round((price * between(5, 40)) / 100 / 100) * 100);
    const accessory = category === 'Bags' || category === 'Hats';
    const size = accessory ? (random() < 0.8 ? 'FREE' : pick(SIZES)) : pick(SIZES.slice(0, 3));
    // About one in nine sold out, one in twenty-five hidden.
    const stockQuantity = random() < 0.11 ? 0 : between(1, 500);
    const status = random() < 0.04 ? 'HIDDEN' : 'ON_SALE';
    return {
      brand,
      category,
      name: `${adjective} ${material} ${noun}`,
      description: `${adjective} ${noun.toLowerCase()} in ${material.toLowerCase()}, by ${demoBrands[brand]!.name}.`,
      price,
      discountAmount,
      gender: pick(GENDERS),
      color: pick(COLORS),
      size,
      stockQuantity,
      status,
    };
  });
}

export interface SeedOptions {
  readonly usersDatabaseUrl: string;
  readonly catalogDatabaseUrl: string;
  /** JWT_SECRET and GATEWAY_CONTEXT_SECRET: the services' configurations require them. */
  readonly secrets: { readonly JWT_SECRET?: string | undefined; readonly GATEWAY_CONTEXT_SECRET?: string | undefined };
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Default DEMO_PRODUCT_COUNT. */
  readonly productCount?: number;
}

export type SeedOutcome = 'created' | 'existing';

export interface SeedReport {
  readonly users: readonly { readonly email: string; readonly role: DemoRole; readonly outcome: SeedOutcome }[];
  /** Existing accounts whose role this run changed to the demo role. */
  readonly rolesSet: readonly string[];
  readonly categories: { readonly created: number; readonly existing: number };
  readonly brands: readonly { readonly name: string; readonly outcome: SeedOutcome }[];
  readonly products: {
    readonly created: number;
    /** Brands that already had products (theirs were left alone). */
    readonly skippedBrands: readonly string[];
  };
  /** What the databases hold afterwards (live rows). */
  readonly totals: {
    readonly users: number;
    readonly categories: number;
    readonly brands: number;
    readonly products: number;
    readonly productsByStatus: Readonly<Record<'ON_SALE' | 'SOLD_OUT' | 'HIDDEN', number>>;
  };
}

/**
 * Writes the demo data, skipping what exists: accounts by email, categories by name under their
 * parent, brands by name, and the products of a brand that already has any. Safe to re-run.
 */
export async function seedDemoData(options: SeedOptions): Promise<SeedReport> {
  const log = options.log ?? (() => {});
  const logger = createLogger('seed', 'silent');
  // Only what the configurations need: nothing else of the caller's environment (NODE_ENV, PORT…).
  const { JWT_SECRET, GATEWAY_CONTEXT_SECRET } = options.secrets;
  const common = { JWT_SECRET, GATEWAY_CONTEXT_SECRET, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '2' };
  const usersConfig = usersSubgraph.loadConfig({ ...common, DATABASE_URL: options.usersDatabaseUrl });
  const catalogConfig = catalogSubgraph.loadConfig({ ...common, DATABASE_URL: options.catalogDatabaseUrl });
  const users = createUsersServices(
    {
      db: createUsersDatabase({ url: usersConfig.DATABASE_URL, poolSize: usersConfig.DATABASE_POOL_SIZE }),
      redis: createRedis({ url: usersConfig.REDIS_URL, name: 'seed', logger }),
    },
    servicesKit('users', usersConfig, { logger }),
  );
  const catalog = createCatalogServices(
    { db: createCatalogDatabase({ url: catalogConfig.DATABASE_URL, poolSize: catalogConfig.DATABASE_POOL_SIZE }) },
    servicesKit('catalog', catalogConfig, { logger }),
  );
  try {
    // Accounts: signUp (validation, Argon2id hash, point account) makes a CUSTOMER; other roles
    // are then granted the way an admin's setUserRole does.
    const userReport: SeedReport['users'][number][] = [];
    const rolesSet: string[] = [];
    const viewers = new Map<string, Viewer>();
    for (const account of demoAccounts) {
      let user = await users.db.user.findFirst({ where: { email: account.email, deletedAt: null } });
      const outcome: SeedOutcome = user ? 'existing' : 'created';
      user ??= await users.accounts.signUp({ email: account.email, password: DEMO_PASSWORD, name: account.name });
      if (user.role !== account.role) {
        await users.db.user.updateMany({ where: { id: user.id }, data: { role: account.role } });
        if (outcome === 'existing') rolesSet.push(account.email);
      }
      viewers.set(account.email, { id: user.id, role: account.role });
      userReport.push({ email: account.email, role: account.role, outcome });
    }
    log(`users: ${count(userReport, 'created')} created, ${count(userReport, 'existing')} already there`);
    const admin = viewers.get('admin@radiata.dev')!;

    // Categories.
    const leafIds = new Map<string, string>();
    const categoryCounts = { created: 0, existing: 0 };
    const category = async (name: string, parentId: string | null): Promise<string> => {
      const existing = await catalog.db.category.findFirst({
        where: { parentId, name: { equals: name, mode: 'insensitive' } },
      });
      if (existing) {
        categoryCounts.existing += 1;
        return existing.id;
      }
      categoryCounts.created += 1;
      return (await catalog.categories.create(admin, { name, parentId })).id;
    };
    for (const [root, children] of Object.entries(demoCategories)) {
      const rootId = await category(root, null);
      for (const child of children) leafIds.set(child, await category(child, rootId));
    }
    log(`categories: ${categoryCounts.created} created, ${categoryCounts.existing} already there`);

    // Brands, each created by its seller.
    const brandReport: SeedReport['brands'][number][] = [];
    const brands: { id: string; ownerId: string }[] = [];
    for (const brand of demoBrands) {
      const owner = viewers.get(brand.ownerEmail)!;
      const existing = await catalog.db.brand.findFirst({
        where: { name: { equals: brand.name, mode: 'insensitive' }, deletedAt: null },
      });
      const record = existing ?? (await catalog.brands.create(owner, { name: brand.name }));
      brands.push(record);
      brandReport.push({ name: brand.name, outcome: existing ? 'existing' : 'created' });
    }
    log(`brands: ${count(brandReport, 'created')} created, ${count(brandReport, 'existing')} already there`);

    // Products: only for brands that have none yet, created by the brand's owner (or the admin
    // for a brand someone else made), in the list's order so newest-first pages mix brands.
    const skippedBrands: string[] = [];
    const fill = new Set<number>();
    for (const [index, brand] of brands.entries()) {
      const live = await catalog.db.product.count({ where: { brandId: brand.id, deletedAt: null } });
      if (live > 0) skippedBrands.push(demoBrands[index]!.name);
      else fill.add(index);
    }
    const sellers = new Map([...viewers.values()].filter((viewer) => viewer.role === 'SELLER').map((v) => [v.id, v]));
    let created = 0;
    for (const product of generateDemoProducts(options.productCount)) {
      if (!fill.has(product.brand)) continue;
      const brand = brands[product.brand]!;
      const { brand: _index, category: leaf, ...fields } = product;
      await catalog.products.create(sellers.get(brand.ownerId) ?? admin, {
        ...fields,
        brandId: brand.id,
        categoryId: leafIds.get(leaf)!,
      });
      created += 1;
      if (created % 100 === 0) log(`products: ${created} created…`);
    }
    log(
      `products: ${created} created` +
        (skippedBrands.length > 0 ? `, skipped ${skippedBrands.length} brand(s) that already have products` : ''),
    );

    const byStatus = await catalog.db.product.groupBy({ by: ['status'], where: { deletedAt: null }, _count: true });
    const productsByStatus = { ON_SALE: 0, SOLD_OUT: 0, HIDDEN: 0 };
    for (const row of byStatus) productsByStatus[row.status] = row._count;
    return {
      users: userReport,
      rolesSet,
      categories: categoryCounts,
      brands: brandReport,
      products: { created, skippedBrands },
      totals: {
        users: await users.db.user.count({ where: { deletedAt: null } }),
        categories: await catalog.db.category.count(),
        brands: await catalog.db.brand.count({ where: { deletedAt: null } }),
        products: productsByStatus.ON_SALE + productsByStatus.SOLD_OUT + productsByStatus.HIDDEN,
        productsByStatus,
      },
    };
  } finally {
    await Promise.all([users.db.$disconnect(), catalog.db.$disconnect(), closeRedis(users.redis)]);
  }
}

const count = (rows: readonly { outcome: SeedOutcome }[], outcome: SeedOutcome) =>
  rows.filter((row) => row.outcome === outcome).length;
