import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A node of the category tree.' })
export class Category {
  @Field(() => ID, { description: 'The category id.' })
  id!: string;

  @Field(() => String, { description: 'The category name, unique among its siblings whatever its case.' })
  name!: string;

  @Field(() => Category, { nullable: true, description: 'The category it belongs to; null for a root category.' })
  parent!: Category | null;

  @Field(() => [Category], { description: 'Direct children, by name.' })
  children!: Category[];
}

@InputType({ description: 'A new category.' })
export class CreateCategoryInput {
  @Field(() => String, {
    description: 'The name: 1 to 100 characters, unique among its siblings whatever its case (CONFLICT).',
  })
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The category it goes under (BAD_USER_INPUT when there is none); omit it for a root category.',
  })
  parentId?: string | null;
}

@ArgsType()
export class RenameCategoryArgs {
  @Field(() => ID, { description: 'The category id (NOT_FOUND when there is none).' })
  id!: string;

  @Field(() => String, {
    description: 'The new name: 1 to 100 characters, unique among its siblings whatever its case (CONFLICT).',
  })
  name!: string;
}
