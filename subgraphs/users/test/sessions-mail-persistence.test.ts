import { newId } from '@radiata/service-runtime';
import { newCustomer, startUsersDatabase, type UsersDatabase } from './support.js';

// The sessions, reset tokens and mail outbox of prisma/schema.prisma against their SQL
// (persistence.test.ts does the same for the other models).
let database: UsersDatabase;
beforeAll(async () => {
  database = await startUsersDatabase();
});
afterAll(() => database.stop());

it('round-trips sessions, password reset tokens and mails between the Prisma client and the migrated schema', async () => {
  const { db } = database;
  const user = await newCustomer(db);
  const now = new Date('2026-12-04T03:00:00.123Z');
  const session = await db.session.create({
    data: {
      id: newId(),
      userId: user.id,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now,
      userAgent: 'Agent/1.0',
      endedAt: now,
    },
  });
  const token = await db.refreshToken.create({
    data: { id: newId(), familyId: session.id, userId: user.id, tokenHash: newId(), expiresAt: now },
  });
  const reset = await db.passwordResetToken.create({
    data: {
      id: newId(),
      userId: user.id,
      tokenHash: 'digest',
      createdAt: now,
      expiresAt: now,
      usedAt: now,
      supersededAt: now,
    },
  });
  const mail = await db.mailOutbox.create({
    data: {
      id: newId(),
      userId: user.id,
      recipient: 'a@example.com',
      template: 'password-reset',
      locale: 'en',
      subject: 'Subject',
      textBody: 'text',
      htmlBody: '<p>html</p>',
      attempts: 2,
      nextAttemptAt: now,
      lockedUntil: now,
      lastError: 'refused',
      createdAt: now,
    },
  });

  expect(await db.session.findUniqueOrThrow({ where: { id: session.id } })).toEqual(session);
  expect(await db.refreshToken.findUniqueOrThrow({ where: { id: token.id }, include: { session: true } })).toEqual({
    ...token,
    session,
  });
  expect(await db.passwordResetToken.findUniqueOrThrow({ where: { id: reset.id } })).toEqual(reset);
  expect(await db.mailOutbox.findUniqueOrThrow({ where: { id: mail.id } })).toEqual(mail);
  expect(mail.status).toBe('PENDING');
  const finished = await db.mailOutbox.update({
    where: { id: mail.id },
    data: { status: 'SENT', finishedAt: now, textBody: null, htmlBody: null },
  });
  expect(await db.mailOutbox.findUniqueOrThrow({ where: { id: mail.id } })).toEqual(finished);
});

it('enforces the invariants in the database, not only in code', async () => {
  const { db } = database;
  const user = await newCustomer(db);
  const mail = (data: Record<string, unknown>) =>
    db.mailOutbox.create({
      data: {
        id: newId(),
        recipient: 'a@example.com',
        template: 'password-reset',
        locale: 'ko',
        subject: 's',
        textBody: 't',
        ...data,
      },
    });
  // A finished mail keeps no body (a reset link must not outlive its sending); a pending one has one.
  await expect(mail({ status: 'SENT', finishedAt: new Date() })).rejects.toThrow();
  await expect(
    mail({ status: 'FAILED', finishedAt: new Date(), htmlBody: '<p>x</p>', textBody: null }),
  ).rejects.toThrow();
  await expect(mail({ textBody: null })).rejects.toThrow();
  await expect(mail({ status: 'SENT', textBody: null })).rejects.toThrow(); // finished without finished_at
  await expect(mail({ locale: 'fr' })).rejects.toThrow();
  await expect(mail({ status: 'LOST' })).rejects.toThrow();
  await expect(mail({ template: 'Not A Name' })).rejects.toThrow();
  // A refresh token belongs to a session; a User-Agent is at most 256 characters.
  await expect(
    db.refreshToken.create({
      data: { id: newId(), familyId: newId(), userId: user.id, tokenHash: newId(), expiresAt: new Date() },
    }),
  ).rejects.toThrow();
  await expect(
    db.session.create({ data: { id: newId(), userId: user.id, expiresAt: new Date(), userAgent: 'x'.repeat(257) } }),
  ).rejects.toThrow();
  await db.passwordResetToken.create({
    data: { id: newId(), userId: user.id, tokenHash: 'same', expiresAt: new Date() },
  });
  await expect(
    db.passwordResetToken.create({ data: { id: newId(), userId: user.id, tokenHash: 'same', expiresAt: new Date() } }),
  ).rejects.toMatchObject({ code: 'P2002' });
});
