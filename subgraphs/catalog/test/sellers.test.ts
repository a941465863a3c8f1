import { MalformedEvent } from '@radiata/inbox';
import { newId } from '@radiata/service-runtime';
import { parseRoleChanged, ROLE_CHANGED, USER_ROLES_QUEUE } from '../src/messaging/users-consumer.js';
import { type CatalogStack, startCatalog } from './support.js';

let catalog: CatalogStack;
beforeAll(async () => {
  catalog = await startCatalog();
});
afterAll(() => catalog.stop());

const sellers = () => catalog.services.sellers;

it('keeps the newest role of each user whatever order the changes arrive in, each applied once', async () => {
  const userId = newId();
  const promoted = { userId, role: 'SELLER', roleVersion: 2, deleted: false };
  const earlier = { userId, role: 'CUSTOMER', roleVersion: 1, deleted: false };
  const promotion = newId();

  expect(await sellers().apply(USER_ROLES_QUEUE, promotion, promoted)).toBe('applied');
  expect(await sellers().apply(USER_ROLES_QUEUE, newId(), earlier)).toBe('stale');
  expect(await sellers().apply(USER_ROLES_QUEUE, promotion, promoted)).toBe('duplicate');
  expect(await sellers().isSeller(userId)).toBe(true);

  expect(await sellers().apply(USER_ROLES_QUEUE, newId(), { ...promoted, roleVersion: 3, deleted: true })).toBe(
    'applied',
  );
  expect(await sellers().isSeller(userId)).toBe(false);
  expect(await sellers().isSeller(newId())).toBe(false);
  expect(await catalog.sql('SELECT role, role_version, deleted FROM user_roles WHERE user_id = $1', userId)).toEqual([
    { role: 'SELLER', role_version: 3, deleted: true },
  ]);
});

it('refuses a role change it cannot read (dead-lettered, not retried)', () => {
  expect(() => parseRoleChanged('users.user.renamed', {})).toThrow(MalformedEvent);
  expect(() => parseRoleChanged(ROLE_CHANGED, { userId: 'nope', role: 'SELLER', roleVersion: 1 })).toThrow(
    MalformedEvent,
  );
  expect(() => parseRoleChanged(ROLE_CHANGED, { userId: newId(), role: 'KING', roleVersion: 1 })).toThrow(
    MalformedEvent,
  );
  expect(parseRoleChanged(ROLE_CHANGED, { userId: newId(), role: 'ADMIN', roleVersion: 0 }).deleted).toBe(false);
});
