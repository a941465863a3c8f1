import { apportion } from '../src/index.js';

test('splits in proportion, the won left over to the largest remainders, ties to the smaller key', () => {
  expect(apportion(100, { c: 1, a: 1, b: 1 })).toEqual({ a: 34, b: 33, c: 33 });
  expect(apportion(7_999, { a: 4_000, b: 4_000 })).toEqual({ a: 4_000, b: 3_999 });
  expect(apportion(10, { a: 1, b: 2, c: 7 })).toEqual({ a: 1, b: 2, c: 7 });
  expect(apportion(11, { a: 1, b: 2, c: 7 })).toEqual({ a: 1, b: 2, c: 8 });
});

test('always sums exactly to the total and keeps every key', () => {
  for (const total of [0, 1, 2, 999, 1_000_001, 10_000_000]) {
    const split = apportion(total, { x: 333, y: 667, z: 1, w: 0 });
    expect(Object.keys(split).sort()).toEqual(['w', 'x', 'y', 'z']);
    expect(Object.values(split).reduce((sum, won) => sum + won, 0)).toBe(total);
    expect(split.w).toBe(0);
  }
});

test('is exact where floating point is not (large weights)', () => {
  const split = apportion(9_999_999, { a: 3_333_333_333, b: 3_333_333_333, c: 3_333_333_334 });
  expect(split).toEqual({ a: 3_333_333, b: 3_333_333, c: 3_333_333 });
});

test('weights all zero: the total goes to the smallest key', () => {
  expect(apportion(5, { b: 0, a: 0 })).toEqual({ a: 5, b: 0 });
});

test('refuses what cannot be split', () => {
  expect(() => apportion(-1, { a: 1 })).toThrow(RangeError);
  expect(() => apportion(1.5, { a: 1 })).toThrow(RangeError);
  expect(() => apportion(1, {})).toThrow(RangeError);
  expect(() => apportion(1, { a: -2 })).toThrow(RangeError);
  expect(apportion(0, {})).toEqual({});
});
