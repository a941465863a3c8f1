import { notFound } from '@radiata/errors';
import type { BrandResolvers, CategoryResolvers, ProductResolvers, UserResolvers } from '../generated/graphql.js';

export const User: UserResolvers = {
  // The users subgraph owns users; any id is a reference the catalog can extend.
  __resolveReference: (reference) => ({ id: reference.id }),
  brands: (user, _args, context) => context.loaders.brandsByOwnerId.load(user.id),
};

export const Brand: BrandResolvers = {
  __resolveReference: (reference, context) => context.loaders.brandById.load(reference.id),
  owner: (brand) => ({ id: brand.ownerId }),
  products: (brand, { first, after }, context) =>
    context.productSearch.search(context.viewer, () => context.loaders.categoryTree(), {
      filter: { brandId: brand.id, status: ['ON_SALE', 'SOLD_OUT', 'HIDDEN'] },
      first,
      after,
    }),
};

export const Category: CategoryResolvers = {
  parent: async (category, _args, context) =>
    category.parentId ? ((await context.loaders.categoryTree()).get(category.parentId) ?? null) : null,
  children: async (category, _args, context) => (await context.loaders.categoryTree()).children(category.id),
};

export const Product: ProductResolvers = {
  __resolveReference: (reference, context) => context.loaders.productById.load(reference.id),
  brand: async (product, _args, context) => {
    const brand = await context.loaders.brandById.load(product.brandId);
    // A live product's brand is live: deleting a brand requires deleting its products first.
    if (!brand) throw notFound('Brand');
    return brand;
  },
  category: async (product, _args, context) => {
    const category = (await context.loaders.categoryTree()).get(product.categoryId);
    if (!category) throw notFound('Category');
    return category;
  },
  stockQuantity: (product) => product.stock,
};
