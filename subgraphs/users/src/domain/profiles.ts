import type { Viewer } from '@radiata/auth-context';
import { notFound } from '@radiata/errors';
import { requireViewer, validateInput } from '@radiata/service-runtime';
import { z } from 'zod';
import type { Database } from '../persistence/database.js';
import { koreanMobile } from './phone.js';
import type { UserRecord } from './users.js';

/** The languages Radiata writes to users in, as the API names them. */
export type LocaleName = 'KO' | 'EN';

/** The database's spelling (users.locale: 'ko' or 'en') as the API's. */
export const localeOf = (user: Pick<UserRecord, 'locale'>): LocaleName => (user.locale === 'en' ? 'EN' : 'KO');

/** The API's locale as the database spells it. */
export const storedLocale = (locale: LocaleName): 'ko' | 'en' => (locale === 'EN' ? 'en' : 'ko');

export const localeInput = z.enum(['KO', 'EN'], 'must be KO or EN');

const updateProfileInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').nullish(),
  phone: koreanMobile.nullish(),
  locale: localeInput.nullish(),
});

export interface ProfileChanges {
  /** Omitted or null: unchanged. */
  readonly name?: string | null;
  /** Omitted: unchanged; null: cleared; any common way of writing a Korean mobile number. */
  readonly phone?: string | null;
  /** Omitted or null: unchanged. */
  readonly locale?: LocaleName | null;
}

/** A user's own profile beyond sign-in: display name, mobile phone, language. */
export class Profiles {
  constructor(private readonly db: Database) {}

  /**
   * The signed-in user's own profile (UNAUTHENTICATED when anonymous): only the fields given change;
   * a phone is stored as 010-1234-5678 however it was typed.
   */
  async update(viewer: Viewer | null, input: ProfileChanges): Promise<UserRecord> {
    const self = requireViewer(viewer);
    const changes = validateInput(updateProfileInput, input);
    const { count } = await this.db.user.updateMany({
      where: { id: self.id, deletedAt: null },
      data: {
        name: changes.name ?? undefined,
        phone: changes.phone,
        locale: changes.locale ? storedLocale(changes.locale) : undefined,
      },
    });
    if (count === 0) throw notFound('User');
    return this.db.user.findUniqueOrThrow({ where: { id: self.id } });
  }
}
