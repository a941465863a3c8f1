import {
  InvalidPeriod,
  lastClosedPeriod,
  parseSchedule,
  periodContaining,
  periodDueBy,
  periodStartingOn,
  scheduledRunOf,
} from '../src/domain/settlement/period.js';

const SEOUL = 'Asia/Seoul';

test('a week runs from Monday 00:00 to the next Monday 00:00 in Seoul (UTC+9)', () => {
  expect(periodStartingOn('2026-11-23', SEOUL)).toEqual({
    startsOn: '2026-11-23',
    start: new Date('2026-11-22T15:00:00.000Z'),
    end: new Date('2026-11-29T15:00:00.000Z'),
  });
});

test('Sunday 23:59:59.999 KST belongs to its week, Monday 00:00:00.000 KST to the next', () => {
  expect(periodContaining(new Date('2026-11-29T23:59:59.999+09:00'), SEOUL).startsOn).toBe('2026-11-23');
  expect(periodContaining(new Date('2026-11-30T00:00:00.000+09:00'), SEOUL).startsOn).toBe('2026-11-30');
  // Monday 08:59 in Seoul is still Sunday in UTC
  expect(periodContaining(new Date('2026-11-29T23:59:00.000Z'), SEOUL).startsOn).toBe('2026-11-30');
});

test('the last closed week is the one before the week now is in', () => {
  expect(lastClosedPeriod(new Date('2026-12-01T13:00:00.000Z'), SEOUL).startsOn).toBe('2026-11-23');
  expect(lastClosedPeriod(new Date('2026-11-30T00:00:00.000+09:00'), SEOUL).startsOn).toBe('2026-11-23');
  expect(lastClosedPeriod(new Date('2026-11-29T23:59:59.999+09:00'), SEOUL).startsOn).toBe('2026-11-16');
});

test('names a period by its Monday; anything else is refused with the reason', () => {
  expect(() => periodStartingOn('2026-11-24', SEOUL)).toThrow(
    new InvalidPeriod('must be a Monday (2026-11-24 is a TUE)'),
  );
  expect(() => periodStartingOn('2026-02-30', SEOUL)).toThrow(InvalidPeriod);
  expect(() => periodStartingOn('23/11/2026', SEOUL)).toThrow(InvalidPeriod);
  expect(() => periodStartingOn('', SEOUL)).toThrow(InvalidPeriod);
});

test('follows daylight saving time in zones that have it (a 167-hour week)', () => {
  const week = periodStartingOn('2026-03-02', 'America/New_York');
  expect(week.start.toISOString()).toBe('2026-03-02T05:00:00.000Z');
  expect(week.end.toISOString()).toBe('2026-03-09T04:00:00.000Z');
});

test('the schedule runs on its weekday and local time after the week ends', () => {
  const mondays = parseSchedule('MON 03:00');
  expect(mondays).toEqual({ weekday: 1, minutes: 180 });
  const week = periodStartingOn('2026-11-23', SEOUL);
  expect(scheduledRunOf(week, mondays as NonNullable<typeof mondays>, SEOUL)).toEqual(
    new Date('2026-11-30T03:00:00+09:00'),
  );
  const due = (now: string) => periodDueBy(new Date(now), mondays as NonNullable<typeof mondays>, SEOUL).startsOn;
  expect(due('2026-11-30T02:59:59.999+09:00')).toBe('2026-11-16');
  expect(due('2026-11-30T03:00:00.000+09:00')).toBe('2026-11-23');
  expect(scheduledRunOf(week, { weekday: 3, minutes: 0 }, SEOUL)).toEqual(new Date('2026-12-02T00:00:00+09:00'));
  expect(parseSchedule('off')).toBeNull();
  expect(() => parseSchedule('MONDAY 3am')).toThrow(InvalidPeriod);
  expect(() => parseSchedule('MON 24:00')).toThrow(InvalidPeriod);
});
