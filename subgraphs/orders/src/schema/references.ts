import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entities other subgraphs own, referenced by id: the gateway asks their owner for the rest.

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Product {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Brand {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class TimeSale {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Payment {
  @Field(() => ID)
  id!: string;
}
