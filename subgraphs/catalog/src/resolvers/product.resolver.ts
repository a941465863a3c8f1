import { notFound } from '@radiata/errors';
import { type Connection, ResolveReference } from '@radiata/service-runtime';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogContext } from '../context.js';
import type { BrandRecord } from '../domain/brands.js';
import type { CategoryRecord, CategoryTree } from '../domain/categories.js';
import { isVisibleTo, type ProductRecord } from '../domain/products.js';
import {
  AdjustStockArgs,
  CreateProductInput,
  Product,
  ProductConnection,
  ProductsArgs,
  UpdateProductArgs,
} from '../schema/product.js';
import { readAheadForPage } from './product-page.js';

const BRAND_MANAGERS = "The brand's owner or ADMIN (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN).";

@Resolver(() => Product)
export class ProductResolver {
  /** Other subgraphs refer to any live product, whatever its status (their own rules decide what they show). */
  @ResolveReference()
  async reference(reference: { id: string }, context: CatalogContext): Promise<ProductRecord | null> {
    const product = await context.loaders.productById.load(reference.id);
    if (!product) return null;
    const brand = product.status === 'HIDDEN' ? await context.loaders.brandById.load(product.brandId) : null;
    return isVisibleTo(context.viewer, product, brand) ? product : null;
  }

  @Query(() => Product, {
    nullable: true,
    description:
      "A live product by id; null when there is none, or when it is HIDDEN and the viewer is not the brand's owner or an admin.",
  })
  product(
    @Arg('id', () => ID, { description: 'The product id.' }) id: string,
    @Ctx() context: CatalogContext,
  ): Promise<ProductRecord | null> {
    return context.products.find(context.viewer, id);
  }

  @Query(() => ProductConnection, {
    description:
      'Live products, filtered and sorted, a page at a time. An invalid filter, first or after (a cursor of ' +
      'another sort order included): BAD_USER_INPUT.',
  })
  async products(
    @Args(() => ProductsArgs) args: ProductsArgs,
    @Ctx() context: CatalogContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<ProductRecord>> {
    const page = await context.productSearch.search(context.viewer, args, () => context.loaders.categoryTree());
    await readAheadForPage(context, page, info);
    return page;
  }

  @Mutation(() => Product, {
    description: `${BRAND_MANAGERS} Invalid input or an unknown category: BAD_USER_INPUT naming the field.`,
  })
  createProduct(
    @Arg('input', () => CreateProductInput, { description: 'The new product.' }) input: CreateProductInput,
    @Ctx() context: CatalogContext,
  ): Promise<ProductRecord> {
    return context.products.create(context.viewer, input);
  }

  @Mutation(() => Product, {
    description: `${BRAND_MANAGERS} Invalid input (a discount not below the price included): BAD_USER_INPUT.`,
  })
  updateProduct(
    @Args(() => UpdateProductArgs) { id, input }: UpdateProductArgs,
    @Ctx() context: CatalogContext,
  ): Promise<ProductRecord> {
    return context.products.update(context.viewer, id, input);
  }

  @Mutation(() => Boolean, { description: `Soft delete. ${BRAND_MANAGERS} Always true.` })
  async deleteProduct(
    @Arg('id', () => ID, { description: 'The product id (NOT_FOUND when there is no such live product).' })
    id: string,
    @Ctx() context: CatalogContext,
  ): Promise<boolean> {
    await context.products.delete(context.viewer, id);
    return true;
  }

  @Mutation(() => Product, {
    description: `Adds (or, negative, removes) stock. ${BRAND_MANAGERS} Never below zero (BAD_USER_INPUT).`,
  })
  adjustStock(
    @Args(() => AdjustStockArgs) { productId, delta }: AdjustStockArgs,
    @Ctx() context: CatalogContext,
  ): Promise<ProductRecord> {
    return context.products.adjustStock(context.viewer, productId, delta);
  }

  /** No promise when already read (see readAheadForPage). */
  @FieldResolver()
  brand(@Root() product: ProductRecord, @Ctx() context: CatalogContext): BrandRecord | Promise<BrandRecord> {
    const loaded = context.loaders.loadedBrand(product.brandId);
    if (loaded !== undefined) return liveBrand(loaded);
    return context.loaders.brandById.load(product.brandId).then(liveBrand);
  }

  /** No promise when already read (see readAheadForPage). */
  @FieldResolver()
  category(@Root() product: ProductRecord, @Ctx() context: CatalogContext): CategoryRecord | Promise<CategoryRecord> {
    const tree = context.loaders.loadedCategoryTree();
    if (tree) return categoryOf(product, tree);
    return context.loaders.categoryTree().then((read) => categoryOf(product, read));
  }

  @FieldResolver()
  stockQuantity(@Root() product: ProductRecord): number {
    return product.stock;
  }
}

/** A live product's brand is live: deleting a brand requires deleting its products first. */
function liveBrand(brand: BrandRecord | null): BrandRecord {
  if (!brand) throw notFound('Brand');
  return brand;
}

function categoryOf(product: ProductRecord, tree: CategoryTree): CategoryRecord {
  const category = tree.get(product.categoryId);
  if (!category) throw notFound('Category');
  return category;
}
