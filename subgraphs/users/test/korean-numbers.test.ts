import {
  businessNumberCheckDigit,
  businessNumberDigits,
  formatBusinessNumber,
  isValidBusinessNumber,
  normalizeKoreanPhone,
} from '../src/domain/korean-numbers.js';

// Published business registration numbers of well-known companies (their receipts and websites).
const REAL = {
  'Samsung Electronics': '124-81-00998',
  NAVER: '220-81-62517',
  Kakao: '120-81-47521',
  Coupang: '120-88-00767',
  'LG Electronics': '107-86-14075',
};

describe('business registration numbers', () => {
  it.each(Object.entries(REAL))('accepts the number of %s (%s)', (_company, number) => {
    const digits = businessNumberDigits(number) as string;
    expect(digits).toBe(number.replaceAll('-', ''));
    expect(isValidBusinessNumber(digits)).toBe(true);
    expect(formatBusinessNumber(digits)).toBe(number);
  });

  it('computes the check digit with the weights 1,3,7,1,3,7,1,3,5 and the tens of the ninth digit times 5', () => {
    // 1·1 + 2·3 + 4·7 + 8·1 + 1·3 + 0·7 + 0·1 + 9·3 + 9·5 = 118, + ⌊9·5/10⌋ = 122 → (10 − 2) mod 10 = 8
    expect(businessNumberCheckDigit('124810099')).toBe(8);
    // a sum that is already a multiple of ten: the check digit is 0, not 10
    expect(businessNumberCheckDigit('000000000')).toBe(0);
    expect(isValidBusinessNumber('0000000000')).toBe(true);
    // without the ⌊d9·5/10⌋ term Samsung's would end in 2: the term matters
    expect(isValidBusinessNumber('1248100992')).toBe(false);
  });

  it('refuses near misses: a wrong check digit, swapped digits, one digit off', () => {
    expect(isValidBusinessNumber('1248100999')).toBe(false); // check digit + 1
    expect(isValidBusinessNumber('1248100997')).toBe(false); // check digit − 1
    expect(isValidBusinessNumber('2148100998')).toBe(false); // first two swapped
    expect(isValidBusinessNumber('2208162571')).toBe(false); // last two swapped
    expect(isValidBusinessNumber('1208147522')).toBe(false); // Kakao with its last digit off by one
    expect(isValidBusinessNumber('1208800768')).toBe(false); // Coupang likewise
  });

  it('reads ten digits with or without dashes, and nothing else', () => {
    expect(businessNumberDigits('1248100998')).toBe('1248100998');
    expect(businessNumberDigits(' 124-81-00998 ')).toBe('1248100998');
    expect(businessNumberDigits('124-8100998')).toBe('1248100998');
    for (const wrong of [
      '124810099',
      '12481009981',
      '12-481-00998',
      '124 81 00998',
      '124--81-00998',
      'abc-de-fghij',
      '',
    ]) {
      expect(businessNumberDigits(wrong)).toBeNull();
    }
    expect(isValidBusinessNumber('124810099')).toBe(false);
    expect(isValidBusinessNumber('12481009a8')).toBe(false);
  });
});

describe('Korean phone numbers', () => {
  it.each([
    ['010-1234-5678', '010-1234-5678'],
    ['01012345678', '010-1234-5678'],
    ['010 1234 5678', '010-1234-5678'],
    ['010.1234.5678', '010-1234-5678'],
    ['+82 10-1234-5678', '010-1234-5678'],
    ['+821012345678', '010-1234-5678'],
    ['011-123-4567', '011-123-4567'],
    ['0161234567', '016-123-4567'],
    ['02-123-4567', '02-123-4567'],
    ['0212345678', '02-1234-5678'],
    ['031-123-4567', '031-123-4567'],
    ['064 7123 4567', '064-7123-4567'],
    ['070-1234-5678', '070-1234-5678'],
    ['1588-1234', '1588-1234'],
    ['16441234', '1644-1234'],
  ])('reads %s as %s', (typed, written) => {
    expect(normalizeKoreanPhone(typed)).toBe(written);
  });

  it.each([
    '010-123-4567', // 010 numbers have four middle digits
    '010-12345-6789',
    '012-1234-5678', // no such mobile prefix
    '039-123-4567', // no such area code
    '02-0123-4567', // a subscriber number never starts with 0
    '02-12-3456',
    '1234-5678', // not a company number prefix
    '010--1234-5678',
    '010-1234-5678 ext 1',
    '(02) 123-4567',
    '',
  ])('refuses %s', (typed) => {
    expect(normalizeKoreanPhone(typed)).toBeNull();
  });
});
