import { connectionType, DateTime } from '@radiata/service-runtime';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A widget: replace with what this subgraph owns.' })
export class Widget {
  @Field(() => ID, { description: 'The widget id.' })
  id!: string;

  @Field(() => String, { description: 'Unique name, 1 to 100 characters.' })
  name!: string;

  @Field(() => DateTime, { description: 'When it was created.' })
  createdAt!: Date;
}

export const WidgetConnection = connectionType(Widget, { noun: 'widget' });

@InputType({ description: 'A new widget.' })
export class CreateWidgetInput {
  @Field(() => String, { description: 'Unique name, 1 to 100 characters.' })
  name!: string;
}
