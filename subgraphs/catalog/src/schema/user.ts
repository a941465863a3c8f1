import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Brand } from './brand.js';

/** The users subgraph owns users (and describes them); the catalog adds the brands a seller owns. */
@Directive('@key(fields: "id")')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => [Brand], { description: 'Brands this user owns (sellers), oldest first. Empty for other users.' })
  brands!: Brand[];
}
