import { z } from 'zod';
import { normalizeKoreanPhone } from './korean-numbers.js';

export const KOREAN_MOBILE_MESSAGE = 'must be a Korean mobile number like 010-1234-5678';

/** The mobile prefixes (010, 011, 016, 017, 018, 019) in the stored form, as the database's CHECK has it. */
const STORED_MOBILE = /^01[016789]-\d{3,4}-\d{4}$/;

/**
 * A Korean mobile number as people type it (01012345678, 010-1234-5678, 010 1234 5678) in the one
 * form Radiata stores and shows (010-1234-5678); null for anything else (landlines included).
 */
export function normalizeKoreanMobile(typed: string): string | null {
  const normalized = normalizeKoreanPhone(typed);
  return normalized !== null && STORED_MOBILE.test(normalized) ? normalized : null;
}

/** The zod rule for a mobile phone field: normalised, or the problem named on the field. */
export const koreanMobile = z.string().transform((value, context) => {
  const normalized = normalizeKoreanMobile(value);
  if (normalized === null) {
    context.addIssue({ code: 'custom', message: KOREAN_MOBILE_MESSAGE });
    return z.NEVER;
  }
  return normalized;
});
