import type { Viewer } from '@radiata/auth-context';
import type { User } from '../generated/prisma/client.js';

export type UserRecord = User;

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const isSelfOrAdmin = (viewer: Viewer | null, user: UserRecord): boolean =>
  viewer !== null && (viewer.id === user.id || viewer.role === 'ADMIN');

/** A seller's email is their public business contact; anyone else's is private. */
export const canSeeEmail = (viewer: Viewer | null, user: UserRecord): boolean =>
  user.role === 'SELLER' || isSelfOrAdmin(viewer, user);
