import { newId } from '@radiata/service-runtime';
import type { Transaction } from '../persistence/database.js';
import { mailLocale } from './layout.js';
import { type MailTemplateData, type MailTemplateName, renderTemplate } from './templates.js';

export interface MailRequest<T extends MailTemplateName> {
  /** The recipient's address. */
  readonly to: string;
  /** The account the mail is for: it is cancelled, not sent, should the account be deleted first. */
  readonly userId?: string | null;
  /** The user's `locale` ('ko' or 'en'; anything else reads as Korean). */
  readonly locale: string;
  readonly template: T;
  readonly data: MailTemplateData<T>;
}

/**
 * Writes a mail to the outbox: call it inside the transaction of what causes the mail, so the
 * mail exists exactly when its cause committed. The relay (relay.ts) sends it within moments, and
 * keeps trying while the mail server is down. Rendered now, in the user's language: a template
 * that cannot render fails its cause instead of the relay. Returns the mail's id.
 *
 * ```ts
 * await db.$transaction(async (tx) => {
 *   const user = await tx.user.update({ … });
 *   await enqueueMail(tx, { to: user.email, userId: user.id, locale: user.locale, template: 'password-changed', data });
 * });
 * ```
 */
export async function enqueueMail<T extends MailTemplateName>(
  tx: Pick<Transaction, 'mailOutbox'>,
  mail: MailRequest<T>,
): Promise<string> {
  const locale = mailLocale(mail.locale);
  const rendered = renderTemplate(mail.template, mail.data, locale);
  const id = newId();
  await tx.mailOutbox.create({
    data: {
      id,
      userId: mail.userId ?? null,
      recipient: mail.to,
      template: mail.template,
      locale,
      subject: rendered.subject,
      textBody: rendered.text,
      htmlBody: rendered.html,
    },
  });
  return id;
}
