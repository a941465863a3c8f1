import { escapeHtml, formatInstant, mailLocale } from '../src/mail/layout.js';
import { MAIL_TEMPLATES, renderTemplate } from '../src/mail/templates.js';

const resetData = {
  name: 'Kim Minji',
  resetUrl: 'https://shop.test/reset-password?token=abc_DEF-123',
  validMinutes: 30,
};
const changedAt = new Date('2026-12-04T06:30:00Z'); // 15:30 in Seoul

describe('mail templates', () => {
  it('write the reset link in the user’s language, as text and as HTML', () => {
    const ko = renderTemplate('password-reset', resetData, 'ko');
    expect(ko.subject).toBe('[Radiata] 비밀번호 재설정 안내');
    expect(ko.text).toContain('Kim Minji님, 안녕하세요.');
    expect(ko.text).toContain('30분 동안 한 번만 사용할 수 있습니다.');
    expect(ko.text).toContain('비밀번호 재설정하기:\nhttps://shop.test/reset-password?token=abc_DEF-123');
    expect(ko.html).toContain('<html lang="ko">');
    expect(ko.html).toContain('href="https://shop.test/reset-password?token=abc_DEF-123"');

    const en = renderTemplate('password-reset', resetData, 'en');
    expect(en.subject).toBe('[Radiata] Reset your password');
    expect(en.text).toContain('Hello, Kim Minji.');
    expect(en.text).toContain('The link works once, for 30 minutes.');
    expect(en.text).toMatch(/The Radiata team$/);
    expect(en.html).toContain('<html lang="en">');
    expect(en.text).not.toMatch(/[가-힣]/);
  });

  it('tell of a changed or reset password with the time in Korea', () => {
    const ko = renderTemplate('password-changed', { name: '민지', changedAt, how: 'changed' }, 'ko');
    expect(ko.subject).toBe('[Radiata] 비밀번호가 변경되었습니다');
    expect(ko.text).toContain('2026년 12월 4일 오후 3:30 (KST)에 Radiata 계정의 비밀번호가 변경되었습니다.');
    expect(ko.text).toContain('다른 기기에서는 로그아웃되었습니다');

    const en = renderTemplate('password-changed', { name: 'Minji', changedAt, how: 'reset' }, 'en');
    expect(en.subject).toBe('[Radiata] Your password was changed');
    expect(en.text).toContain('was reset on 4 December 2026 at 15:30 (KST).');
    expect(en.text).toContain('signed out everywhere: sign in again');
  });

  it('escape everything they put into HTML', () => {
    const html = renderTemplate(
      'password-reset',
      { ...resetData, name: '<script>alert("x")</script> & co' },
      'en',
    ).html;
    expect(html).not.toContain('<script>');
    expect(html).toContain('Hello, &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co.');
    expect(escapeHtml(`a'b`)).toBe('a&#39;b');
    const withQuote = renderTemplate('password-reset', { ...resetData, resetUrl: 'https://x.test/?a=1&b="2"' }, 'en');
    expect(withQuote.html).toContain('href="https://x.test/?a=1&amp;b=&quot;2&quot;"');
  });

  it('read any stored locale but English as Korean, and render every template in both', () => {
    expect(mailLocale('en')).toBe('en');
    expect(mailLocale('ko')).toBe('ko');
    expect(mailLocale('fr')).toBe('ko');
    expect(mailLocale(null)).toBe('ko');
    expect(formatInstant(changedAt, 'en')).toBe('4 December 2026 at 15:30 (KST)');
    for (const name of Object.keys(MAIL_TEMPLATES) as (keyof typeof MAIL_TEMPLATES)[]) {
      for (const locale of ['ko', 'en'] as const) {
        const data = name === 'password-reset' ? resetData : { name: 'Minji', changedAt, how: 'changed' as const };
        const mail = renderTemplate(name, data as never, locale);
        expect(mail.subject).toMatch(/^\[Radiata\] /);
        expect(mail.text.length).toBeGreaterThan(50);
        expect(mail.html).toMatch(/^<!doctype html>/);
      }
    }
  });
});
