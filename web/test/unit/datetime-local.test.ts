// <input type="datetime-local"> values (the shopper's wall time, no zone) and the API's ISO
// instants (src/lib/datetime-local.ts), in Seoul's time zone (jest.config.cjs): 09:00 there is
// midnight UTC.
import { localToIso, toLocalInput } from '../../src/lib/datetime-local.js';

test('a local wall time becomes the instant it is in UTC', () => {
  expect(localToIso('2026-11-27T09:00')).toBe('2026-11-27T00:00:00.000Z');
  // Past midnight in Seoul is still the day before in UTC.
  expect(localToIso('2026-12-01T02:30')).toBe('2026-11-30T17:30:00.000Z');
  expect(localToIso('2026-11-27T09:00:30')).toBe('2026-11-27T00:00:30.000Z');
});

test('an empty or unreadable value is no instant', () => {
  expect(localToIso('')).toBeUndefined();
  expect(localToIso('tomorrow at nine')).toBeUndefined();
  expect(localToIso('2026-13-01T09:00')).toBeUndefined();
});

test('an instant shown in the input as local wall time, to the minute', () => {
  expect(toLocalInput(new Date('2026-11-27T00:00:00.000Z'))).toBe('2026-11-27T09:00');
  // Seconds are dropped, single digits padded.
  expect(toLocalInput(new Date('2026-01-04T23:05:59.999Z'))).toBe('2026-01-05T08:05');
});

test('what the form shows is read back as the same minute', () => {
  const instant = new Date('2026-11-27T14:59:42.123Z');
  expect(localToIso(toLocalInput(instant))).toBe('2026-11-27T14:59:00.000Z');
});
