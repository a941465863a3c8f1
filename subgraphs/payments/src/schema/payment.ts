import { connectionType, DateTime, graphqlEnum } from '@radiata/service-runtime';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type {
  PaymentMethod as PaymentMethodName,
  PaymentPurpose as PaymentPurposeName,
  PaymentStatus as PaymentStatusName,
  RefundStatus as RefundStatusName,
} from '../generated/prisma/client.js';
import { User } from './user.js';

export const PaymentPurpose = graphqlEnum<PaymentPurposeName>('PaymentPurpose', 'What a payment was for.', {
  ORDER: 'Paying an order (orderId).',
  TOP_UP: 'Adding money to the Radiata Pay wallet from a card or bank.',
});

export const PaymentMethod = graphqlEnum<PaymentMethodName>('PaymentMethod', 'Where the money comes from.', {
  WALLET: 'The Radiata Pay wallet balance, with its 6-digit PIN.',
  CARD: "A card (or bank) through the payment provider's checkout, by the paymentKey it returned.",
});

export const PaymentStatus = graphqlEnum<PaymentStatusName>('PaymentStatus', 'Where a payment stands.', {
  PENDING: 'Sent to the provider, which has not answered yet: it settles by itself (reconciliation).',
  APPROVED: 'The money is taken.',
  FAILED: 'No money was taken (failureCode says why); an order may be paid again.',
  REFUNDED: 'All of it was given back.',
  PARTIALLY_REFUNDED: 'Part of it was given back (refundedAmount).',
});

export const RefundStatus = graphqlEnum<RefundStatusName>('RefundStatus', 'Where a refund stands.', {
  PENDING: 'Sent to the provider, which has not answered yet: it settles by itself (reconciliation).',
  DONE: 'Given back: to the wallet for wallet payments, to the card for card payments.',
  FAILED: 'The provider refused it (failureCode); an operator must look.',
});

@ObjectType({ description: 'Money given back on a payment.' })
export class Refund {
  @Field(() => ID, { description: 'The refund id.' })
  id!: string;

  @Field(() => Int, { description: 'Won given back.' })
  amount!: number;

  @Field(() => String, { description: 'Why.' })
  reason!: string;

  @Field(() => RefundStatus, { description: 'Where it stands.' })
  status!: RefundStatusName;

  @Field(() => String, { nullable: true, description: "The provider's code when FAILED." })
  failureCode!: string | null;

  @Field(() => DateTime, { description: 'When it was asked for.' })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When it was DONE.' })
  completedAt!: Date | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Money taken for an order, or added to a wallet, with what was given back.' })
export class Payment {
  @Field(() => ID, { description: 'The payment id.' })
  id!: string;

  @Field(() => PaymentPurpose, { description: 'What it was for.' })
  purpose!: PaymentPurposeName;

  @Field(() => ID, { nullable: true, description: 'The order it pays (ORDER only).' })
  orderId!: string | null;

  @Field(() => User, { description: 'Who paid.' })
  user!: unknown;

  @Field(() => PaymentMethod, { description: 'Where the money came from.' })
  method!: PaymentMethodName;

  @Field(() => Int, { description: "Won: for an order, the amount the server computed, never the client's." })
  amount!: number;

  @Field(() => Int, { description: 'Won given back so far.' })
  refundedAmount!: number;

  @Field(() => PaymentStatus, { description: 'Where it stands.' })
  status!: PaymentStatusName;

  @Field(() => String, {
    nullable: true,
    description: "Why it FAILED: INSUFFICIENT_BALANCE, ORDER_CANCELLED or the provider's code (REJECT_CARD_PAYMENT…).",
  })
  failureCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it FAILED, in words.' })
  failureMessage!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'When the money was taken.' })
  approvedAt!: Date | null;

  @Field(() => DateTime, { description: 'When it was started.' })
  createdAt!: Date;

  @Field(() => [Refund], { description: 'Money given back on it, oldest first.' })
  refunds!: Refund[];
}

export const PaymentConnection = connectionType(Payment, { noun: 'payment', description: 'A page of payments.' });

@InputType({
  description: 'Paying an order that awaits payment. The amount is the order’s; the client never sends one.',
})
export class PayOrderInput {
  @Field(() => ID, { description: 'The order (it must await payment and be yours).' })
  orderId!: string;

  @Field(() => PaymentMethod, { description: 'WALLET (needs pin) or CARD (needs paymentKey).' })
  method!: PaymentMethodName;

  @Field(() => String, { nullable: true, description: 'WALLET: the 6-digit wallet PIN.' })
  pin?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "CARD: the paymentKey the provider's checkout returned, opened for this orderId and the order's amount.",
  })
  paymentKey?: string | null;
}

@InputType({ description: 'Giving money back on a payment (whole or in part).' })
export class RefundPaymentInput {
  @Field(() => ID, {
    description: 'A UUID the caller chooses for this refund: sending it again answers with the same refund.',
  })
  refundId!: string;

  @Field(() => ID, { description: 'The payment.' })
  paymentId!: string;

  @Field(() => Int, { nullable: true, description: 'Won to give back (> 0); all that is left when omitted.' })
  amount?: number | null;

  @Field(() => String, { description: 'Why (1 to 200 characters).' })
  reason!: string;
}
