import { z } from 'zod';
import { pointsToUse } from '../amounts.js';
import type { SagaStep } from '../step.js';

const used = z.object({ points: z.number().int().min(1) });

/**
 * Use reward points (users), 1 point = 1 won, never more than is left to pay. Its undo gives the
 * points back and also takes back what the order earned (a refunded order keeps no points).
 */
export const pointsStep: SagaStep<z.infer<typeof used>> = {
  name: 'points',
  participant: 'users',
  applies: (order) => pointsToUse(order) > 0,
  forward: {
    action: 'use',
    result: 'used',
    data: (order) => ({ userId: order.userId, points: pointsToUse(order) }),
  },
  reply: used,
  onDone: (_order, reply) => ({ order: { pointsUsed: reply.points } }),
  backward: { action: 'refund', result: 'refunded', data: (order) => ({ userId: order.userId }) },
};
