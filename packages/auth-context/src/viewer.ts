export const ROLES = ['CUSTOMER', 'SELLER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated user a request acts for. */
export interface Viewer {
  readonly id: string;
  readonly role: Role;
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
