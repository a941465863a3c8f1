import { priceLine, splitByBrand, totalItems, usablePoints } from '../src/domain/pricing.js';

it('takes the lower price of the product discount and the floored sale rate', () => {
  expect(priceLine({ price: 9_999, productDiscount: 500, saleDiscountRate: 10 })).toEqual({
    unitPrice: 9_000,
    discount: 'SALE',
    discountPerUnit: 999, // floor(999.9)
  });
  expect(priceLine({ price: 10_000, productDiscount: 2_000, saleDiscountRate: 15 })).toEqual({
    unitPrice: 8_000,
    discount: 'PRODUCT',
    discountPerUnit: 2_000,
  });
  // A tie goes to the product's own discount; no discount at all is NONE.
  expect(priceLine({ price: 10_000, productDiscount: 1_000, saleDiscountRate: 10 }).discount).toBe('PRODUCT');
  expect(priceLine({ price: 10_000, productDiscount: 0, saleDiscountRate: null })).toEqual({
    unitPrice: 10_000,
    discount: 'NONE',
    discountPerUnit: 0,
  });
});

it('totals lines and caps points at what is left to pay', () => {
  const totals = totalItems([
    { brandId: 'a', quantity: 3, price: 1_000, productDiscount: 100, saleDiscountRate: null },
    { brandId: 'b', quantity: 1, price: 2_000, productDiscount: 0, saleDiscountRate: 50 },
  ]);
  expect(totals).toEqual({ itemsTotal: 5_000, productDiscount: 300, saleDiscount: 1_000, subtotal: 3_700 });
  expect(usablePoints(10_000, 3_700, 700)).toBe(3_000);
  expect(usablePoints(100, 3_700, 700)).toBe(100);
  expect(usablePoints(100, 500, 500)).toBe(0);
});

it('splits the amount over brands in proportion, in whole won summing exactly to it', () => {
  const line = (brandId: string, price: number) => ({
    brandId,
    quantity: 1,
    price,
    productDiscount: 0,
    saleDiscountRate: null,
  });
  expect(splitByBrand([line('a', 1), line('b', 1), line('c', 1)], 100)).toEqual({ a: 34, b: 33, c: 33 });
  expect(splitByBrand([line('a', 3_000), line('a', 1_000), line('b', 4_000)], 7_999)).toEqual({ a: 4_000, b: 3_999 });
  for (let amount = 0; amount < 500; amount += 7) {
    const split = splitByBrand([line('x', 333), line('y', 667), line('z', 1)], amount);
    expect(Object.values(split).reduce((sum, won) => sum + won, 0)).toBe(amount);
  }
});
