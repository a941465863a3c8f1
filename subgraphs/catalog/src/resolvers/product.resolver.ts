import { notFound } from '@radiata/errors';
import { type Connection, ResolveReference } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogContext } from '../context.js';
import type { BrandRecord } from '../domain/brands.js';
import type { CategoryRecord } from '../domain/categories.js';
import type { ProductRecord } from '../domain/products.js';
import {
  AdjustStockArgs,
  CreateProductInput,
  Product,
  ProductConnection,
  ProductsArgs,
  UpdateProductArgs,
} from '../schema/product.js';

const BRAND_MANAGERS = "The brand's owner or ADMIN (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN).";

@Resolver(() => Product)
export class ProductResolver {
  /** Other subgraphs refer to any live product, whatever its status (their own rules decide what they show). */
  @ResolveReference()
  reference(reference: { id: string }, context: CatalogContext): Promise<ProductRecord | null> {
    return context.loaders.productById.load(reference.id);
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
  products(
    @Args(() => ProductsArgs) args: ProductsArgs,
    @Ctx() context: CatalogContext,
  ): Promise<Connection<ProductRecord>> {
    return context.productSearch.search(context.viewer, args, () => context.loaders.categoryTree());
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

  @FieldResolver()
  async brand(@Root() product: ProductRecord, @Ctx() context: CatalogContext): Promise<BrandRecord> {
    const brand = await context.loaders.brandById.load(product.brandId);
    // A live product's brand is live: deleting a brand requires deleting its products first.
    if (!brand) throw notFound('Brand');
    return brand;
  }

  @FieldResolver()
  async category(@Root() product: ProductRecord, @Ctx() context: CatalogContext): Promise<CategoryRecord> {
    const category = (await context.loaders.categoryTree()).get(product.categoryId);
    if (!category) throw notFound('Category');
    return category;
  }

  @FieldResolver()
  stockQuantity(@Root() product: ProductRecord): number {
    return product.stock;
  }
}
