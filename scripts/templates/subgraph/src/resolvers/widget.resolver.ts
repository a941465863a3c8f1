import { PageArgs, ResolveReference } from '@radiata/service-runtime';
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { WidgetryContext } from '../context.js';
import type { WidgetRecord } from '../domain/widgets.js';
import { CreateWidgetInput, Widget, WidgetConnection } from '../schema/widget.js';

@Resolver(() => Widget)
export class WidgetResolver {
  @ResolveReference()
  reference(reference: { id: string }, context: WidgetryContext): Promise<WidgetRecord | null> {
    return context.loaders.widgetById.load(reference.id);
  }

  @Query(() => Widget, { nullable: true, description: 'A widget by id; null when there is none.' })
  widget(
    @Arg('id', () => ID, { description: 'The widget id.' }) id: string,
    @Ctx() context: WidgetryContext,
  ): Promise<WidgetRecord | null> {
    return context.loaders.widgetById.load(id);
  }

  @Query(() => WidgetConnection, { description: 'Every widget, newest first.' })
  widgets(@Args(() => PageArgs) page: PageArgs, @Ctx() context: WidgetryContext) {
    return context.widgets.list(page);
  }

  @Mutation(() => Widget, { description: 'ADMIN only. A name already taken: CONFLICT. Invalid input: BAD_USER_INPUT.' })
  createWidget(
    @Arg('input', () => CreateWidgetInput, { description: 'The new widget.' }) input: CreateWidgetInput,
    @Ctx() context: WidgetryContext,
  ): Promise<WidgetRecord> {
    return context.widgets.create(context.viewer, input);
  }
}
