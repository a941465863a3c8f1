import { DateTime } from '@radiata/service-runtime';
import { ArgsType, Field, Float, InputType, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    "A brand grade: the weekly settlement charges a brand its gross × its grade's fee rate, rounded down. " +
    'Every brand starts BASIC.',
})
export class BrandGrade {
  @Field(() => String, { description: 'The grade code, e.g. BASIC, SILVER, GOLD (unique, never changes).' })
  code!: string;

  @Field(() => String, { description: 'The display name, e.g. Gold.' })
  name!: string;

  @Field(() => Float, { description: 'The fee rate as a percent with at most 2 decimals, e.g. 3.5 for 3.5 %.' })
  feeRatePercent!: number;

  @Field(() => DateTime, { description: 'When the grade was created or last changed.' })
  updatedAt!: Date;
}

@InputType({ description: 'A new brand grade.' })
export class CreateBrandGradeInput {
  @Field(() => String, {
    description:
      'The code: 2 to 20 of A-Z, 0-9 and _, starting with a letter (BAD_USER_INPUT otherwise); unique (CONFLICT).',
  })
  code!: string;

  @Field(() => String, { description: 'The display name: 1 to 50 characters.' })
  name!: string;

  @Field(() => Float, {
    description: 'The fee rate as a percent: 0 to 100 with at most 2 decimals (BAD_USER_INPUT otherwise).',
  })
  feeRatePercent!: number;
}

@InputType({ description: 'Changes to a brand grade: only the fields given change.' })
export class UpdateBrandGradeInput {
  @Field(() => String, { nullable: true, description: 'The new display name: 1 to 50 characters.' })
  name?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The new fee rate as a percent: 0 to 100 with at most 2 decimals (BAD_USER_INPUT otherwise).',
  })
  feeRatePercent?: number | null;
}

@ArgsType()
export class UpdateBrandGradeArgs {
  @Field(() => String, { description: 'The grade code (NOT_FOUND when there is no such grade).' })
  code!: string;

  @Field(() => UpdateBrandGradeInput, { description: 'The changes.' })
  input!: UpdateBrandGradeInput;
}
