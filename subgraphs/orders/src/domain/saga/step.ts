import type { z } from 'zod';
import type { Order, OrderItem } from '../../generated/prisma/client.js';

/** An order as the saga reads it: the row and its lines (in line order). */
export type SagaOrder = Order & { readonly items: readonly OrderItem[] };

/** What a step's reply changes on the order: columns of the row, and of lines by line number. */
export interface OrderPatch {
  readonly order?: Partial<Order>;
  readonly items?: ReadonlyMap<number, Partial<OrderItem>>;
}

/** One command of a step: the participant's action, the reply's result, and the command's data. */
export interface StepCommand {
  readonly action: string;
  readonly result: string;
  readonly data: (order: SagaOrder) => object;
}

/**
 * One step of the order saga, written beside its compensation (docs/ARCHITECTURE.md, "Order
 * saga"): the participant that owns it, the command that does it, what its DONE reply changes
 * on the order, and the command that undoes it. A step is idempotent per order on the
 * participant's side, and its undo leaves a tombstone there, so orders may resend either and
 * may undo a step whose reply never came.
 */
export interface SagaStep<R = unknown> {
  readonly name: string;
  /** The subgraph answering it (names its queue and reply routing keys). */
  readonly participant: string;
  /** Whether this order needs the step at all (skipped otherwise). */
  readonly applies: (order: SagaOrder) => boolean;
  readonly forward: StepCommand;
  /** Reads a DONE reply's data; a reply it refuses is a participant bug (dead-lettered). */
  readonly reply: z.ZodType<R>;
  readonly onDone: (order: SagaOrder, reply: R) => OrderPatch;
  /** Absent for a step nothing undoes (earning points: the points step's undo takes them back). */
  readonly backward?: StepCommand;
}
