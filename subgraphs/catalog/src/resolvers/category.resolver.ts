import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogContext } from '../context.js';
import type { CategoryRecord } from '../domain/categories.js';
import { Category, CreateCategoryInput, RenameCategoryArgs } from '../schema/category.js';

const ADMIN_ONLY = 'ADMIN only (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN).';

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => [Category], { description: 'The category tree: the root categories, by name, each with its children.' })
  async categories(@Ctx() context: CatalogContext): Promise<CategoryRecord[]> {
    return (await context.loaders.categoryTree()).roots();
  }

  @Query(() => Category, { nullable: true, description: 'A category by id; null when there is none.' })
  async category(
    @Arg('id', () => ID, { description: 'The category id.' }) id: string,
    @Ctx() context: CatalogContext,
  ): Promise<CategoryRecord | null> {
    return (await context.loaders.categoryTree()).get(id) ?? null;
  }

  @Mutation(() => Category, {
    description: `${ADMIN_ONLY} A sibling of the same name: CONFLICT; an unknown parent: BAD_USER_INPUT.`,
  })
  createCategory(
    @Arg('input', () => CreateCategoryInput, { description: 'The new category.' }) input: CreateCategoryInput,
    @Ctx() context: CatalogContext,
  ): Promise<CategoryRecord> {
    return context.categories.create(context.viewer, input);
  }

  @Mutation(() => Category, { description: `${ADMIN_ONLY} A sibling of the same name: CONFLICT.` })
  renameCategory(
    @Args(() => RenameCategoryArgs) { id, name }: RenameCategoryArgs,
    @Ctx() context: CatalogContext,
  ): Promise<CategoryRecord> {
    return context.categories.rename(context.viewer, id, name);
  }

  @Mutation(() => Boolean, {
    description: `${ADMIN_ONLY} Only a category without children or products, deleted ones included (CONFLICT otherwise). Always true.`,
  })
  async deleteCategory(
    @Arg('id', () => ID, { description: 'The category id (NOT_FOUND when there is none).' }) id: string,
    @Ctx() context: CatalogContext,
  ): Promise<boolean> {
    await context.categories.delete(context.viewer, id);
    return true;
  }

  @FieldResolver()
  async parent(@Root() category: CategoryRecord, @Ctx() context: CatalogContext): Promise<CategoryRecord | null> {
    return category.parentId ? ((await context.loaders.categoryTree()).get(category.parentId) ?? null) : null;
  }

  @FieldResolver()
  async children(@Root() category: CategoryRecord, @Ctx() context: CatalogContext): Promise<CategoryRecord[]> {
    return (await context.loaders.categoryTree()).children(category.id);
  }
}
