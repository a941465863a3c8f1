/**
 * Korean business registration numbers (사업자등록번호) and phone numbers: reading what people
 * type (with or without dashes) into one stored form. Pure functions, no I/O.
 */

/** Weights of the first nine digits of a business registration number (국세청's check-digit rule). */
const BUSINESS_NUMBER_WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5] as const;

/** `123-45-67890` or `1234567890` (dashes only where the three groups meet). */
const BUSINESS_NUMBER_FORMAT = /^(\d{3})-?(\d{2})-?(\d{5})$/;

/**
 * The check digit of a business registration number from its first nine digits: each digit times
 * its weight (1,3,7,1,3,7,1,3,5), plus the tens of the ninth digit times 5, and the check digit
 * brings that sum to a multiple of ten.
 */
export function businessNumberCheckDigit(firstNine: string): number {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError('expected nine digits');
  const digits = [...firstNine].map(Number);
  let sum = 0;
  for (const [index, weight] of BUSINESS_NUMBER_WEIGHTS.entries()) sum += (digits[index] as number) * weight;
  sum += Math.floor(((digits[8] as number) * 5) / 10);
  return (10 - (sum % 10)) % 10;
}

/** Ten digits (no dashes) whose last is the check digit of the other nine. */
export function isValidBusinessNumber(digits: string): boolean {
  return /^\d{10}$/.test(digits) && businessNumberCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

/** The ten digits of a business registration number typed with or without dashes, or null when not that shape. */
export function businessNumberDigits(typed: string): string | null {
  const groups = BUSINESS_NUMBER_FORMAT.exec(typed.trim());
  return groups ? groups.slice(1).join('') : null;
}

/** Ten digits as people write them: `123-45-67890`. */
export const formatBusinessNumber = (digits: string): string =>
  `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;

/** Area codes of landlines outside Seoul (02), and 070 (internet phones). */
const AREA_CODES = new Set([
  '031',
  '032',
  '033',
  '041',
  '042',
  '043',
  '044',
  '051',
  '052',
  '053',
  '054',
  '055',
  '061',
  '062',
  '063',
  '064',
  '070',
]);

const MOBILE_PREFIX = /^01[016789]$/;

/** Groups the subscriber number after its prefix: 3+4 or 4+4 digits. */
function subscriber(prefix: string, rest: string): string | null {
  if (rest.length !== 7 && rest.length !== 8) return null;
  if (rest.startsWith('0')) return null;
  return `${prefix}-${rest.slice(0, rest.length - 4)}-${rest.slice(-4)}`;
}

/**
 * A Korean phone number in its usual written form, or null when it is not one: mobiles
 * (`010-1234-5678`; 011/016/017/018/019 with 3 or 4 middle digits), Seoul (`02-123-4567`,
 * `02-1234-5678`), other area codes and 070 (`031-123-4567`), and company numbers
 * (`1588-1234`). Accepts digits with dashes, spaces or dots between them, and `+82` for the
 * leading 0.
 */
export function normalizeKoreanPhone(typed: string): string | null {
  const compact = typed.trim();
  if (!/^(\+82[\s.-]?)?[\d\s.-]+$/.test(compact) || /[\s.-]{2}/.test(compact)) return null;
  let digits = compact.replace(/[\s.-]/g, '');
  if (digits.startsWith('+82')) digits = `0${digits.slice(3).replace(/^0/, '')}`;
  if (/^1[5689]\d{6}$/.test(digits)) return `${digits.slice(0, 4)}-${digits.slice(4)}`;
  if (digits.startsWith('02')) return subscriber('02', digits.slice(2));
  const prefix = digits.slice(0, 3);
  if (prefix === '010') return digits.length === 11 ? subscriber(prefix, digits.slice(3)) : null;
  if (MOBILE_PREFIX.test(prefix) || AREA_CODES.has(prefix)) return subscriber(prefix, digits.slice(3));
  return null;
}
