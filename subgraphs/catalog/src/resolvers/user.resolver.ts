import { ResolveReference } from '@radiata/service-runtime';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CatalogContext } from '../context.js';
import type { BrandRecord, UserReference } from '../domain/brands.js';
import { User } from '../schema/user.js';

/** The catalog's part of a user: the brands they own. */
@Resolver(() => User)
export class UserBrandsResolver {
  /** Any user id: the users subgraph owns users; one the catalog has never seen owns no brands. */
  @ResolveReference()
  reference(reference: { id: string }): UserReference {
    return { id: reference.id };
  }

  @FieldResolver()
  brands(@Root() user: UserReference, @Ctx() context: CatalogContext): Promise<BrandRecord[]> {
    return context.loaders.brandsByOwnerId.load(user.id);
  }
}
