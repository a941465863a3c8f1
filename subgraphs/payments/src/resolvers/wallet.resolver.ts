import { PageArgs } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../context.js';
import type { PaymentRecord } from '../domain/payments.js';
import type { WalletRecord } from '../domain/wallets.js';
import { Payment } from '../schema/payment.js';
import { ChangeWalletPinInput, CreateWalletInput, TopUpWalletInput, Wallet } from '../schema/wallet.js';

@Resolver(() => Wallet)
export class WalletResolver {
  @Mutation(() => Wallet, {
    description:
      'Opens your Radiata Pay wallet with a 6-digit PIN. UNAUTHENTICATED; CONFLICT when you have one; BAD_USER_INPUT.',
  })
  createWallet(
    @Arg('input', () => CreateWalletInput, { description: 'The PIN.' }) input: CreateWalletInput,
    @Ctx() context: PaymentsContext,
  ): Promise<WalletRecord> {
    return context.wallets.create(context.viewer, input);
  }

  @Mutation(() => Wallet, {
    description:
      'Changes your wallet PIN. A wrong current PIN counts towards the lock: FORBIDDEN with extensions.reason WRONG_PIN ' +
      '(attemptsLeft) or WALLET_LOCKED (lockedUntil). NOT_FOUND without a wallet; BAD_USER_INPUT.',
  })
  changeWalletPin(
    @Arg('input', () => ChangeWalletPinInput, { description: 'The current and the new PIN.' })
    input: ChangeWalletPinInput,
    @Ctx() context: PaymentsContext,
  ): Promise<WalletRecord> {
    return context.wallets.changePin(context.viewer, input);
  }

  @Mutation(() => Payment, {
    description:
      "Adds money to your wallet from a card or bank: the provider confirms the checkout first. Answers the top-up's payment: " +
      'APPROVED (the balance moved), FAILED (declined, expired checkout) or PENDING (settles by itself). ' +
      'NOT_FOUND without a wallet; CONFLICT for a paymentKey used otherwise; BAD_USER_INPUT (amount ≤ 0, over the maximum, or over the wallet limit).',
  })
  topUpWallet(
    @Arg('input', () => TopUpWalletInput, { description: 'How much, and the checkout that pays for it.' })
    input: TopUpWalletInput,
    @Ctx() context: PaymentsContext,
  ): Promise<PaymentRecord> {
    return context.wallets.topUp(context.viewer, input);
  }

  @FieldResolver()
  lockedUntil(@Root() wallet: WalletRecord, @Ctx() context: PaymentsContext): Date | null {
    return context.pins.lockState(wallet).lockedUntil;
  }

  @FieldResolver(() => Int)
  pinAttemptsLeft(@Root() wallet: WalletRecord, @Ctx() context: PaymentsContext): number {
    return context.pins.lockState(wallet).attemptsLeft;
  }

  @FieldResolver()
  entries(@Root() wallet: WalletRecord, @Args(() => PageArgs) page: PageArgs, @Ctx() context: PaymentsContext) {
    return context.wallets.entries(wallet.userId, page);
  }
}
