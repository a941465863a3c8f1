import type { RequestContext } from '@radiata/service-runtime';
import type { BrandGrades } from './domain/brand-grades.js';
import type { Brands } from './domain/brands.js';
import type { Categories } from './domain/categories.js';
import type { ProductSearch } from './domain/product-search.js';
import type { Products } from './domain/products.js';
import type { Sellers } from './domain/sellers.js';
import type { StockService } from './domain/stock.js';
import type { CatalogLoaders } from './loaders.js';
import type { Database } from './persistence/database.js';

export interface CatalogServices {
  readonly db: Database;
  /** Who is a SELLER, as the users subgraph's events say. */
  readonly sellers: Sellers;
  readonly brands: Brands;
  /** Brand grades and their fee rates (the weekly settlement's). */
  readonly brandGrades: BrandGrades;
  readonly categories: Categories;
  readonly products: Products;
  readonly productSearch: ProductSearch;
  /** For the order saga (wired to messages later); not exposed in the schema. */
  readonly stock: StockService;
}

export interface CatalogContext extends RequestContext, CatalogServices {
  readonly loaders: CatalogLoaders;
}
