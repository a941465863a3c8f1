import type { MailLocale, RenderedMail } from './layout.js';
import { passwordChanged } from './templates/password-changed.js';
import { passwordReset } from './templates/password-reset.js';

/**
 * Every mail Radiata sends, by name: one module per template in templates/, each with its Korean
 * and English words and the data it needs. A new mail is a module there and a line here.
 */
export const MAIL_TEMPLATES = {
  'password-reset': passwordReset,
  'password-changed': passwordChanged,
} as const satisfies Record<string, (data: never, locale: MailLocale) => RenderedMail>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;

/** The data a template needs. */
export type MailTemplateData<T extends MailTemplateName> = Parameters<(typeof MAIL_TEMPLATES)[T]>[0];

export function renderTemplate<T extends MailTemplateName>(
  template: T,
  data: MailTemplateData<T>,
  locale: MailLocale,
): RenderedMail {
  return (MAIL_TEMPLATES[template] as (data: MailTemplateData<T>, locale: MailLocale) => RenderedMail)(data, locale);
}
