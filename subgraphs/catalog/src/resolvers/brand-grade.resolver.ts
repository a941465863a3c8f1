import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogContext } from '../context.js';
import { type BrandGradeRecord, basisPointsToPercent } from '../domain/brand-grades.js';
import { BrandGrade, CreateBrandGradeInput, UpdateBrandGradeArgs } from '../schema/brand-grade.js';

@Resolver(() => BrandGrade)
export class BrandGradeResolver {
  @Query(() => [BrandGrade], {
    description:
      'Every brand grade with its fee rate, by code. ADMIN and SELLER; anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN.',
  })
  brandGrades(@Ctx() context: CatalogContext): Promise<BrandGradeRecord[]> {
    return context.brandGrades.list(context.viewer);
  }

  @Mutation(() => BrandGrade, {
    description:
      'ADMIN only (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN). Code taken: CONFLICT. ' +
      'Invalid input: BAD_USER_INPUT.',
  })
  createBrandGrade(
    @Arg('input', () => CreateBrandGradeInput, { description: 'The new grade.' }) input: CreateBrandGradeInput,
    @Ctx() context: CatalogContext,
  ): Promise<BrandGradeRecord> {
    return context.brandGrades.create(context.viewer, input);
  }

  @Mutation(() => BrandGrade, {
    description:
      'ADMIN only (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN). Unknown code: NOT_FOUND. ' +
      'Invalid input: BAD_USER_INPUT. Changing nothing returns the grade as it is.',
  })
  updateBrandGrade(
    @Args(() => UpdateBrandGradeArgs) { code, input }: UpdateBrandGradeArgs,
    @Ctx() context: CatalogContext,
  ): Promise<BrandGradeRecord> {
    return context.brandGrades.update(context.viewer, code, input);
  }

  @FieldResolver()
  feeRatePercent(@Root() grade: BrandGradeRecord): number {
    return basisPointsToPercent(grade.feeRateBp);
  }
}
