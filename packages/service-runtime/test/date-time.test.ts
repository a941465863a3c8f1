// Issue 9: DateTime writes its text itself (V8's toISOString is slow); a client sees the same text.

import { isoInstant } from '../src/graphql/iso-instant.js';
import { DateTime } from '../src/index.js';

describe('DateTime output', () => {
  it('is the text JSON.stringify gives the Date, at every width of year', () => {
    const instants = [
      0,
      -1,
      Date.UTC(999, 11, 31, 23, 59, 59, 999),
      Date.UTC(1000, 0, 1),
      Date.UTC(2026, 1, 28, 23, 59, 59, 9),
      Date.UTC(2028, 1, 29, 12, 0, 0, 90),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      -62198755200000, // year -1
    ];
    let seed = 20261130;
    for (let i = 0; i < 2000; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      instants.push((seed / 2 ** 31) * 2 * 253402300800000 - 253402300800000);
    }
    for (const time of instants) {
      const date = new Date(Math.floor(time));
      expect(isoInstant(date)).toBe(date.toISOString());
      expect(JSON.stringify(DateTime.serialize(date))).toBe(JSON.stringify(date));
    }
  });

  it('still refuses an invalid Date', () => {
    expect(() => DateTime.serialize(new Date(Number.NaN))).toThrow(
      'DateTime cannot represent an invalid Date instance',
    );
  });
});
