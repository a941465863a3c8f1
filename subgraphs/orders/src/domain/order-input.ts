import { createHash } from 'node:crypto';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';

const id = (what: string) => z.string().refine(isId, `must be a ${what} id`);
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** What the shopper sends to place an order; prices never come from the client. */
export const placeOrderInput = (limits: { maxLines: number; maxQuantity: number; maxPoints: number }) =>
  z
    .object({
      items: z
        .array(
          z.object({
            productId: id('product'),
            quantity: z.number().int().min(1, 'must be at least 1').max(limits.maxQuantity),
            timeSaleId: id('time sale').nullish(),
          }),
        )
        .min(1, 'an order needs at least one item')
        .max(limits.maxLines, `at most ${limits.maxLines} lines`),
      couponIssueId: id('coupon issue').nullish(),
      points: z.number().int().min(0).max(limits.maxPoints).nullish(),
      shippingAddressId: z.string().refine(isId, 'must be an address id').nullish(),
      shippingAddress: z
        .object({
          recipient: text(50),
          phone: z.string().regex(/^01[016789]-\d{3,4}-\d{4}$/, 'must be a Korean mobile number like 010-1234-5678'),
          zipCode: z.string().regex(/^\d{5}$/, 'must be 5 digits'),
          roadAddress: text(200),
          detailAddress: z.string().trim().max(200).nullish(),
        })
        .nullish(),
      idempotencyKey: z
        .string()
        .min(8, 'must be 8 to 100 characters')
        .max(100, 'must be 8 to 100 characters')
        .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
    })
    .superRefine((input, context) => {
      // One of the two: a saved address of the shopper's (by id), or a whole address.
      const byId = input.shippingAddressId != null;
      if (byId === (input.shippingAddress != null)) {
        context.addIssue({
          code: 'custom',
          path: [byId ? 'shippingAddressId' : 'shippingAddress'],
          message: byId
            ? 'give shippingAddressId or shippingAddress, not both'
            : 'give shippingAddressId (a saved address) or shippingAddress',
        });
      }
      const seen = new Set<string>();
      input.items.forEach((item, index) => {
        const line = `${item.productId}/${item.timeSaleId ?? ''}`;
        if (seen.has(line)) {
          context.addIssue({
            code: 'custom',
            path: ['items', index],
            message: 'the same product twice: add quantities',
          });
        }
        seen.add(line);
      });
    });

export type PlaceOrderInput = z.infer<ReturnType<typeof placeOrderInput>>;

/** A fingerprint of the request (without its key): the same key with another request is a CONFLICT. */
export function requestHash(input: PlaceOrderInput): string {
  const { idempotencyKey: _key, ...request } = input;
  const canonical = {
    items: request.items.map((item) => [item.productId, item.quantity, item.timeSaleId ?? null]),
    couponIssueId: request.couponIssueId ?? null,
    points: request.points ?? 0,
    // A saved address is the request by its id: a retry after the address was edited is the same request.
    ...(request.shippingAddressId != null
      ? { addressId: request.shippingAddressId }
      : { address: request.shippingAddress }),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
