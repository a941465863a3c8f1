import { ResolveReference } from '@radiata/service-runtime';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../context.js';
import type { PaymentRecord } from '../domain/payments.js';
import type { RefundRecord } from '../domain/refunds.js';
import { Payment, PayOrderInput, Refund, RefundPaymentInput } from '../schema/payment.js';

@Resolver(() => Payment)
export class PaymentResolver {
  @ResolveReference()
  async reference(reference: { id: string }, context: PaymentsContext): Promise<PaymentRecord | null> {
    return context.payments.visibleTo(context.viewer, await context.loaders.paymentById.load(reference.id));
  }

  @Query(() => Payment, {
    nullable: true,
    description: 'A payment by id: for the payer and admins; null for anyone else or when there is none.',
  })
  async payment(
    @Arg('id', () => ID, { description: 'The payment id.' }) id: string,
    @Ctx() context: PaymentsContext,
  ): Promise<PaymentRecord | null> {
    return context.payments.visibleTo(context.viewer, await context.loaders.paymentById.load(id));
  }

  @Mutation(() => Payment, {
    description:
      'Pays an order awaiting payment, with the wallet and its PIN or by card (paymentKey). The amount is the order’s. ' +
      'Answers APPROVED, FAILED (declined, insufficient balance: pay again) or PENDING (the provider has not answered: it settles by itself). ' +
      'Refusals move no money: UNAUTHENTICATED; NOT_FOUND (no such order awaiting payment, or no wallet); FORBIDDEN (not your order; ' +
      'extensions.reason WRONG_PIN with attemptsLeft, or WALLET_LOCKED with lockedUntil); CONFLICT (cancelled, already paid, a payment in progress); BAD_USER_INPUT.',
  })
  payOrder(
    @Arg('input', () => PayOrderInput, { description: 'The order and how to pay.' }) input: PayOrderInput,
    @Ctx() context: PaymentsContext,
  ): Promise<PaymentRecord> {
    return context.orderPayments.pay(context.viewer, input);
  }

  @Mutation(() => Refund, {
    description:
      'ADMIN only. Gives money back (to the wallet, or to the card through the provider); never more than was paid. ' +
      'The same refundId again answers with the same refund. NOT_FOUND, CONFLICT (not refundable), BAD_USER_INPUT (more than is left).',
  })
  refundPayment(
    @Arg('input', () => RefundPaymentInput, { description: 'Which payment, how much and why.' })
    input: RefundPaymentInput,
    @Ctx() context: PaymentsContext,
  ): Promise<RefundRecord> {
    return context.refunds.refundPayment(context.viewer, input);
  }

  @FieldResolver()
  user(@Root() payment: PaymentRecord) {
    return { id: payment.userId };
  }

  @FieldResolver()
  refunds(@Root() payment: PaymentRecord, @Ctx() context: PaymentsContext): Promise<RefundRecord[]> {
    return context.loaders.refundsByPaymentId.load(payment.id);
  }
}
