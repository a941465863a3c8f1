import { type MailContent, type MailLocale, type RenderedMail, renderMail } from '../layout.js';

export interface PasswordResetData {
  /** The account's display name. */
  readonly name: string;
  /** PASSWORD_RESET_URL with the token: the only place the token is ever written down. */
  readonly resetUrl: string;
  /** How long the link works. */
  readonly validMinutes: number;
}

const CONTENT: Record<MailLocale, (data: PasswordResetData) => MailContent> = {
  ko: ({ name, resetUrl, validMinutes }) => ({
    subject: '[Radiata] 비밀번호 재설정 안내',
    greeting: `${name}님, 안녕하세요.`,
    paragraphs: [
      '비밀번호 재설정을 요청하셨습니다. 아래 링크에서 새 비밀번호를 설정해 주세요.',
      `이 링크는 ${validMinutes}분 동안 한 번만 사용할 수 있습니다.`,
    ],
    action: { label: '비밀번호 재설정하기', url: resetUrl },
    closing: ['직접 요청하지 않으셨다면 이 메일을 무시하셔도 됩니다. 비밀번호는 바뀌지 않습니다.'],
  }),
  en: ({ name, resetUrl, validMinutes }) => ({
    subject: '[Radiata] Reset your password',
    greeting: `Hello, ${name}.`,
    paragraphs: [
      'Someone asked to reset the password of your Radiata account. Choose a new password at the link below.',
      `The link works once, for ${validMinutes} minutes.`,
    ],
    action: { label: 'Reset my password', url: resetUrl },
    closing: ['If it was not you, ignore this mail: your password stays as it is.'],
  }),
};

/** The link to a new password, after requestPasswordReset. Carries a secret: its body is erased once sent. */
export const passwordReset = (data: PasswordResetData, locale: MailLocale): RenderedMail =>
  renderMail(CONTENT[locale](data), locale);
