import { connectionType, DateTime, graphqlEnum } from '@radiata/service-runtime';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { WalletEntryType as WalletEntryTypeName } from '../generated/prisma/client.js';

export const WalletEntryType = graphqlEnum<WalletEntryTypeName>('WalletEntryType', 'Why a wallet balance changed.', {
  TOP_UP: 'Money added from a card or bank through the provider (a credit).',
  CHARGE: 'An order paid from the wallet (a debit).',
  REFUND: 'Money given back on a wallet payment (a credit).',
  WITHDRAW: 'Money taken out to a bank account (a debit; planned, none are written yet).',
});

@ObjectType({ description: 'One append-only entry of a wallet ledger.' })
export class WalletEntry {
  @Field(() => ID, { description: 'The entry id.' })
  id!: string;

  @Field(() => WalletEntryType, { description: 'Why the balance changed.' })
  type!: WalletEntryTypeName;

  @Field(() => Int, { description: 'Signed won: credits are positive, debits negative.' })
  amount!: number;

  @Field(() => Int, { description: 'The balance right after this entry.' })
  balanceAfter!: number;

  @Field(() => ID, { description: 'The payment (top-up or order payment) it belongs to.' })
  paymentId!: string;

  @Field(() => ID, { nullable: true, description: 'The refund, for REFUND entries.' })
  refundId!: string | null;

  @Field(() => DateTime, { description: 'When it was written.' })
  createdAt!: Date;
}

export const WalletEntryConnection = connectionType(WalletEntry, {
  noun: 'ledger entry',
  description: 'A page of wallet ledger entries.',
});

@ObjectType({ description: 'A Radiata Pay wallet: a balance in won, explained entry by entry by its ledger.' })
export class Wallet {
  @Field(() => Int, { description: 'Won available now; never negative; always the sum of the ledger.' })
  balance!: number;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Locked after too many wrong PINs until then (null when not locked): no payment or PIN change before.',
  })
  lockedUntil!: Date | null;

  @Field(() => Int, { description: 'Wrong PINs that may still be entered before the wallet is locked.' })
  pinAttemptsLeft!: number;

  @Field(() => DateTime, { description: 'When it was opened.' })
  createdAt!: Date;

  @Field(() => WalletEntryConnection, { description: 'Ledger entries, newest first.' })
  entries!: unknown;
}

@InputType({ description: 'Opening a wallet.' })
export class CreateWalletInput {
  @Field(() => String, { description: 'The PIN that will authorize payments: 6 digits.' })
  pin!: string;
}

@InputType({ description: 'Changing the wallet PIN.' })
export class ChangeWalletPinInput {
  @Field(() => String, { description: 'The current PIN (a wrong one counts towards the lock).' })
  currentPin!: string;

  @Field(() => String, { description: 'The new PIN: 6 digits, not the current one.' })
  newPin!: string;
}

@InputType({
  description: "Adding money to the wallet: the provider's checkout was opened for providerOrderId and amount.",
})
export class TopUpWalletInput {
  @Field(() => Int, {
    description: 'Won to add (> 0, at most PAYMENT_MAX_AMOUNT; the balance stays within WALLET_MAX_BALANCE).',
  })
  amount!: number;

  @Field(() => String, {
    description: 'The paymentKey the checkout returned. Sending it again answers with the same top-up.',
  })
  paymentKey!: string;

  @Field(() => String, { description: 'The orderId the checkout was opened with (6 to 64 letters, digits, - or _).' })
  providerOrderId!: string;
}
