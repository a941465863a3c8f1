// How amounts, times and durations read in the shop (src/lib/format.ts), in Seoul's time zone
// (jest.config.cjs).
import {
  durationInWords,
  formatDateTime,
  formatDuration,
  formatPoints,
  formatWon,
  humanize,
} from '../../src/lib/format.js';

test('amounts in won and points, grouped by thousands', () => {
  expect(formatWon(59_000)).toBe('59,000 won');
  expect(formatWon(1_234_567)).toBe('1,234,567 won');
  expect(formatWon(0)).toBe('0 won');
  expect(formatWon(-5_000)).toBe('-5,000 won');
  expect(formatPoints(5_000)).toBe('5,000 points');
});

test("an instant in the shopper's time zone", () => {
  // Midnight UTC is 9 in the morning in Seoul.
  expect(formatDateTime('2026-11-27T00:00:00.000Z')).toBe('27 Nov 2026, 09:00');
  // 15:00 UTC is midnight in Seoul, the next day.
  expect(formatDateTime('2026-11-27T15:00:00Z')).toBe('28 Nov 2026, 00:00');
});

test.each([
  [3725, '1:02:05'],
  [3600, '1:00:00'],
  [65, '1:05'],
  [59.9, '0:59'],
  [0, '0:00'],
  [-3, '0:00'],
  [100 * 3600 + 1, '100:00:01'],
])('a countdown of %p s reads %p', (seconds, shown) => {
  expect(formatDuration(seconds)).toBe(shown);
});

test.each([
  [3725, '1 hour 2 minutes 5 seconds'],
  [86_400 + 60, '1 day 1 minute'],
  [2 * 86_400 + 7200, '2 days 2 hours'],
  [1, '1 second'],
  [0.4, '0 seconds'],
  [-10, '0 seconds'],
])('%p s in words, for screen readers: %p', (seconds, words) => {
  expect(durationInWords(seconds)).toBe(words);
});

test('an enum value for people', () => {
  expect(humanize('PRICE_ASC')).toBe('Price asc');
  expect(humanize('FIRST_COME_FIRST_SERVED')).toBe('First come first served');
  expect(humanize('LIVE')).toBe('Live');
});
