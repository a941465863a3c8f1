import { z } from 'zod';
import type { SagaStep } from '../step.js';

const earned = z.object({ points: z.number().int().min(0) });

/**
 * Earn points on what was paid (users; the rate is theirs), once the order is PAID. Nothing
 * undoes it on its own: a refund runs the points step's undo, which takes earned points back.
 */
export const earnStep: SagaStep<z.infer<typeof earned>> = {
  name: 'earn',
  participant: 'users',
  applies: (order) => (order.amountToPay ?? 0) > 0,
  forward: {
    action: 'earn',
    result: 'earned',
    data: (order) => ({ userId: order.userId, amountPaid: order.amountToPay }),
  },
  reply: earned,
  onDone: (_order, reply) => ({ order: { earnedPoints: reply.points } }),
};
