import { formatInstant, type MailContent, type MailLocale, type RenderedMail, renderMail } from '../layout.js';

export interface PasswordChangedData {
  /** The account's display name. */
  readonly name: string;
  readonly changedAt: Date;
  /** How: changed while signed in (other sessions ended) or reset by email (every session ended). */
  readonly how: 'changed' | 'reset';
}

const CONTENT: Record<MailLocale, (data: PasswordChangedData) => MailContent> = {
  ko: ({ name, changedAt, how }) => ({
    subject: '[Radiata] 비밀번호가 변경되었습니다',
    greeting: `${name}님, 안녕하세요.`,
    paragraphs: [
      `${formatInstant(changedAt, 'ko')}에 Radiata 계정의 비밀번호가 ${how === 'reset' ? '재설정' : '변경'}되었습니다.`,
      how === 'reset'
        ? '보안을 위해 모든 기기에서 로그아웃되었습니다. 새 비밀번호로 다시 로그인해 주세요.'
        : '보안을 위해 지금 사용 중인 기기를 제외한 다른 기기에서는 로그아웃되었습니다.',
    ],
    closing: ['본인이 변경하지 않았다면 즉시 비밀번호 재설정을 요청하고 고객센터에 알려 주세요.'],
  }),
  en: ({ name, changedAt, how }) => ({
    subject: '[Radiata] Your password was changed',
    greeting: `Hello, ${name}.`,
    paragraphs: [
      `The password of your Radiata account was ${how === 'reset' ? 'reset' : 'changed'} on ${formatInstant(changedAt, 'en')}.`,
      how === 'reset'
        ? 'For your safety you were signed out everywhere: sign in again with the new password.'
        : 'For your safety you were signed out everywhere but on the device you changed it on.',
    ],
    closing: ['If it was not you, ask for a password reset right away and tell our customer service.'],
  }),
};

/** The notice after changePassword or resetPassword. */
export const passwordChanged = (data: PasswordChangedData, locale: MailLocale): RenderedMail =>
  renderMail(CONTENT[locale](data), locale);
