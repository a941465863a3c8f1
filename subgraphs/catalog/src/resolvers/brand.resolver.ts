import { type Connection, PageArgs, ResolveReference } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogContext } from '../context.js';
import type { BrandGradeRecord } from '../domain/brand-grades.js';
import { type BrandRecord, canManageBrand, type UserReference } from '../domain/brands.js';
import type { ProductRecord } from '../domain/products.js';
import { Brand, BrandConnection, CreateBrandInput, SetBrandGradeArgs, UpdateBrandArgs } from '../schema/brand.js';

@Resolver(() => Brand)
export class BrandResolver {
  @ResolveReference()
  reference(reference: { id: string }, context: CatalogContext): Promise<BrandRecord | null> {
    return context.loaders.brandById.load(reference.id);
  }

  @Query(() => Brand, { nullable: true, description: 'A live brand by id; null when there is none.' })
  brand(
    @Arg('id', () => ID, { description: 'The brand id.' }) id: string,
    @Ctx() context: CatalogContext,
  ): Promise<BrandRecord | null> {
    return context.loaders.brandById.load(id);
  }

  @Query(() => BrandConnection, { description: 'Live brands, newest first.' })
  brands(@Args(() => PageArgs) page: PageArgs, @Ctx() context: CatalogContext): Promise<Connection<BrandRecord>> {
    return context.brands.list(page);
  }

  @Mutation(() => Brand, {
    description:
      'SELLER (for themself) or ADMIN (for any seller, with ownerId). Anonymous: UNAUTHENTICATED; ' +
      'anyone else: FORBIDDEN. Name taken: CONFLICT. Invalid input: BAD_USER_INPUT.',
  })
  createBrand(
    @Arg('input', () => CreateBrandInput, { description: 'The new brand.' }) input: CreateBrandInput,
    @Ctx() context: CatalogContext,
  ): Promise<BrandRecord> {
    return context.brands.create(context.viewer, input);
  }

  @Mutation(() => Brand, {
    description:
      "The brand's owner or ADMIN (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN). Name taken: CONFLICT.",
  })
  updateBrand(@Args(() => UpdateBrandArgs) { id, input }: UpdateBrandArgs, @Ctx() context: CatalogContext) {
    return context.brands.update(context.viewer, id, input);
  }

  @Mutation(() => Boolean, {
    description:
      "Soft delete. The brand's owner or ADMIN (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN); " +
      'only a brand without live products (CONFLICT otherwise). Always true.',
  })
  async deleteBrand(
    @Arg('id', () => ID, { description: 'The brand id (NOT_FOUND when there is no such live brand).' }) id: string,
    @Ctx() context: CatalogContext,
  ): Promise<boolean> {
    await context.brands.delete(context.viewer, id);
    return true;
  }

  @Mutation(() => Brand, {
    description:
      "Sets the brand's grade (its fee rate in the weekly settlement). ADMIN only (anonymous: UNAUTHENTICATED; " +
      'anyone else: FORBIDDEN). Unknown brand or grade: NOT_FOUND. The grade it already has: nothing changes.',
  })
  setBrandGrade(
    @Args(() => SetBrandGradeArgs) { brandId, grade }: SetBrandGradeArgs,
    @Ctx() context: CatalogContext,
  ): Promise<BrandRecord> {
    return context.brands.setGrade(context.viewer, brandId, grade);
  }

  @FieldResolver()
  async grade(@Root() brand: BrandRecord, @Ctx() context: CatalogContext): Promise<BrandGradeRecord | null> {
    if (!canManageBrand(context.viewer, brand)) return null;
    return context.loaders.gradeByCode.load(brand.grade);
  }

  @FieldResolver()
  owner(@Root() brand: BrandRecord): UserReference {
    return { id: brand.ownerId };
  }

  @FieldResolver()
  products(
    @Root() brand: BrandRecord,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: CatalogContext,
  ): Promise<Connection<ProductRecord>> {
    return context.productSearch.ofBrand(context.viewer, brand.id, page);
  }
}
