/** The languages Radiata writes mail in (users.locale). */
export type MailLocale = 'ko' | 'en';

export const MAIL_LOCALES: readonly MailLocale[] = ['ko', 'en'];

/** A stored locale as a mail's: Korean unless it says English. */
export const mailLocale = (stored: string | null | undefined): MailLocale => (stored === 'en' ? 'en' : 'ko');

/** What a template decides; the layout makes both the text and the HTML body of it. */
export interface MailContent {
  readonly subject: string;
  /** The opening line ("Hello, Minji."). */
  readonly greeting: string;
  readonly paragraphs: readonly string[];
  /** A link to act on, shown as a button (and in full, for clients that strip buttons). */
  readonly action?: { readonly label: string; readonly url: string };
  /** Paragraphs after the action. */
  readonly closing?: readonly string[];
}

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const SIGNATURE: Record<MailLocale, string> = { ko: 'Radiata 드림', en: 'The Radiata team' };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML: everything a template interpolates goes through here. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/**
 * One layout for every mail: plain text (what every client shows) and simple HTML with inline
 * styles (mail clients ignore style sheets), in the same words.
 */
export function renderMail(content: MailContent, locale: MailLocale): RenderedMail {
  const before = [content.greeting, ...content.paragraphs];
  const after = [...(content.closing ?? []), SIGNATURE[locale]];
  const { action } = content;
  const text = [...before, ...(action ? [`${action.label}:\n${action.url}`] : []), ...after].join('\n\n');
  const paragraph = (line: string) => `<p style="margin:0 0 16px">${escapeHtml(line)}</p>`;
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#e8384f;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:12px;color:#666666;word-break:break-all">${escapeHtml(action.url)}</p>`
    : '';
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:sans-serif;font-size:15px;line-height:1.6;color:#222222">',
    ...before.map(paragraph),
    button,
    ...after.map(paragraph),
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, text, html };
}

/** An instant as the shop states times: Korea's clock, in the reader's language. */
export function formatInstant(at: Date, locale: MailLocale): string {
  const formatted = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Seoul',
  }).format(at);
  return `${formatted} (KST)`;
}
