import { connectionType, DateTime } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { BrandGrade } from './brand-grade.js';
import { ProductConnection } from './product.js';
import { User } from './user.js';

@Directive('@key(fields: "id")')
@ObjectType({ description: "A seller's brand: the label its products are listed and managed under." })
export class Brand {
  @Field(() => ID, { description: 'The brand id.' })
  id!: string;

  @Field(() => String, { description: 'The brand name, unique among live brands whatever its case.' })
  name!: string;

  @Field(() => User, {
    nullable: true,
    description:
      'The SELLER who owns the brand and manages its products; null, with a NOT_FOUND error, when the users service cannot resolve them.',
  })
  owner!: User | null;

  @Field(() => DateTime, { description: 'When the brand was created.' })
  createdAt!: Date;

  @Field(() => BrandGrade, {
    nullable: true,
    description:
      "The brand's grade (its fee rate in the weekly settlement): for the brand's owner and ADMINs; null for anyone else.",
  })
  grade!: BrandGrade | null;

  @Field(() => ProductConnection, {
    description: "The brand's products, newest first (HIDDEN ones only for the owner and admins).",
  })
  products!: unknown;
}

export const BrandConnection = connectionType(Brand, { noun: 'brand' });

@InputType({ description: 'A new brand.' })
export class CreateBrandInput {
  @Field(() => String, {
    description: 'The brand name: 1 to 100 characters, unique among live brands whatever its case (CONFLICT).',
  })
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'ADMIN only: the seller who will own the brand. Default: the caller.',
  })
  ownerId?: string | null;
}

@InputType({ description: 'Changes to a brand: only the fields given change.' })
export class UpdateBrandInput {
  @Field(() => String, {
    nullable: true,
    description: 'The new name: 1 to 100 characters, unique among live brands whatever its case (CONFLICT).',
  })
  name?: string | null;
}

@ArgsType()
export class SetBrandGradeArgs {
  @Field(() => ID, { description: 'The brand id (NOT_FOUND when there is no such live brand).' })
  brandId!: string;

  @Field(() => String, { description: 'The grade code, e.g. GOLD (NOT_FOUND when there is no such grade).' })
  grade!: string;
}

@ArgsType()
export class UpdateBrandArgs {
  @Field(() => ID, { description: 'The brand id (NOT_FOUND when there is no such live brand).' })
  id!: string;

  @Field(() => UpdateBrandInput, { description: 'The changes.' })
  input!: UpdateBrandInput;
}
