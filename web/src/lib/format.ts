// How amounts and times read in the shop.
const won = new Intl.NumberFormat('ko-KR');

/** 59000 → "59,000 won". */
export const formatWon = (amount: number): string => `${won.format(amount)} won`;

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO instant in the shopper's time zone. */
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** 3725 → "1:02:05"; 65 → "1:05"; whole seconds, never negative. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** The same duration in words, for screen readers ("1 hour 2 minutes 5 seconds"). */
export function durationInWords(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const parts: [number, string][] = [
    [Math.floor(seconds / 86400), 'day'],
    [Math.floor((seconds % 86400) / 3600), 'hour'],
    [Math.floor((seconds % 3600) / 60), 'minute'],
    [seconds % 60, 'second'],
  ];
  const words = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return words.length > 0 ? words.join(' ') : '0 seconds';
}

/** An enum value for people: PRICE_ASC → "Price asc". */
export const humanize = (value: string): string => value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');

/** 5000 → "5,000 points". */
export const formatPoints = (points: number): string => `${won.format(points)} points`;
