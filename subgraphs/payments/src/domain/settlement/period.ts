/**
 * Settlement periods: weeks from Monday 00:00 to the next Monday 00:00 in the settlement's time
 * zone (Asia/Seoul by default), named by the date of their Monday ("2026-11-23").
 */
export interface SettlementPeriod {
  /** The Monday the period starts on, as a local date (YYYY-MM-DD). */
  readonly startsOn: string;
  /** Monday 00:00 local, included. */
  readonly start: Date;
  /** The next Monday 00:00 local, excluded. */
  readonly end: Date;
}

/** When a scheduled run fires: a weekday and a local time, or never (`off`). */
export type SettlementSchedule = { readonly weekday: number; readonly minutes: number } | null;

const DAY_MS = 86_400_000;
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class InvalidPeriod extends Error {
  override readonly name = 'InvalidPeriod';
}

/** One formatter per time zone: building one costs far more than using it (every settlement row's period). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar fields of `instant` in `timeZone`. */
function localParts(instant: Date, timeZone: string) {
  const parts = formatterOf(timeZone).formatToParts(instant);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: Date, timeZone: string): number {
  const local = localParts(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of a local wall-clock time (days since the epoch in local dates, plus minutes). */
function instantOf(localDay: number, minutes: number, timeZone: string): Date {
  const wall = localDay * DAY_MS + minutes * 60_000;
  const first = wall - offsetAt(new Date(wall), timeZone);
  return new Date(wall - offsetAt(new Date(first), timeZone));
}

/** Days since 1970-01-01 of the local date of `instant`. */
function localDayOf(instant: Date, timeZone: string): number {
  const local = localParts(instant, timeZone);
  return Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
}

const dateOf = (localDay: number): string => new Date(localDay * DAY_MS).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
const weekdayOf = (localDay: number): number => (((localDay + 4) % 7) + 7) % 7;

function periodFrom(mondayDay: number, timeZone: string): SettlementPeriod {
  return {
    startsOn: dateOf(mondayDay),
    start: instantOf(mondayDay, 0, timeZone),
    end: instantOf(mondayDay + 7, 0, timeZone),
  };
}

/** The period starting on `startsOn` (a Monday, YYYY-MM-DD); InvalidPeriod otherwise. */
export function periodStartingOn(startsOn: string, timeZone: string): SettlementPeriod {
  const match = LOCAL_DATE.exec(startsOn);
  const day = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS : Number.NaN;
  if (!Number.isInteger(day) || dateOf(day) !== startsOn) throw new InvalidPeriod('must be a date, YYYY-MM-DD');
  if (weekdayOf(day) !== 1) throw new InvalidPeriod(`must be a Monday (${startsOn} is a ${WEEKDAYS[weekdayOf(day)]})`);
  return periodFrom(day, timeZone);
}

/** The period `instant` falls in. */
export function periodContaining(instant: Date, timeZone: string): SettlementPeriod {
  const day = localDayOf(instant, timeZone);
  return periodFrom(day - ((weekdayOf(day) + 6) % 7), timeZone);
}

/** The most recent period that has ended by `now`. */
export function lastClosedPeriod(now: Date, timeZone: string): SettlementPeriod {
  const current = periodContaining(now, timeZone);
  return periodFrom(localDayOf(current.start, timeZone) - 7, timeZone);
}

/** `MON 03:00` (weekday, 24-hour local time) or `off`; InvalidPeriod otherwise. */
export function parseSchedule(text: string): SettlementSchedule {
  if (text.trim().toLowerCase() === 'off') return null;
  const match = /^([A-Za-z]{3})\s+(\d{2}):(\d{2})$/.exec(text.trim());
  const weekday = match ? WEEKDAYS.indexOf((match[1] as string).toUpperCase()) : -1;
  const hours = Number(match?.[2]);
  const minutes = Number(match?.[3]);
  if (weekday < 0 || hours > 23 || minutes > 59) throw new InvalidPeriod('must be like "MON 03:00" or "off"');
  return { weekday, minutes: hours * 60 + minutes };
}

/** When the schedule settles `period`: its first weekday and time at or after the period's end. */
export function scheduledRunOf(
  period: SettlementPeriod,
  schedule: { weekday: number; minutes: number },
  timeZone: string,
): Date {
  const endDay = localDayOf(period.end, timeZone);
  return instantOf(endDay + ((schedule.weekday - weekdayOf(endDay) + 7) % 7), schedule.minutes, timeZone);
}

/** The period the schedule has settled or should have by `now`: the last closed one whose run time has come, else the one before it. */
export function periodDueBy(
  now: Date,
  schedule: { weekday: number; minutes: number },
  timeZone: string,
): SettlementPeriod {
  const closed = lastClosedPeriod(now, timeZone);
  if (scheduledRunOf(closed, schedule, timeZone) <= now) return closed;
  return periodFrom(localDayOf(closed.start, timeZone) - 7, timeZone);
}
