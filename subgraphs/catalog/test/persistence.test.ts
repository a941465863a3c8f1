import { readFileSync } from 'node:fs';
import { outboxMigrationPath } from '@radiata/outbox';
import { newId } from '@radiata/service-runtime';
import { type CatalogStack, startCatalog } from './support.js';

// prisma/schema.prisma is a hand-kept model of db/migrations: writing and reading every model
// and field through the client fails here when the two drift apart.
let catalog: CatalogStack;
beforeAll(async () => {
  catalog = await startCatalog();
});
afterAll(() => catalog.stop());

it('round-trips every model and field between the Prisma client and the migrated schema', async () => {
  const { db } = catalog.services;
  const now = new Date('2026-11-25T03:00:00.123Z');
  const grade = await db.brandGrade.create({
    data: { code: 'DRIFT_1', name: 'Drift', feeRateBp: 1_234, version: 2, createdAt: now, updatedAt: now },
  });
  const brand = await db.brand.create({
    data: {
      id: newId(),
      name: 'Drift',
      ownerId: newId(),
      grade: grade.code,
      version: 5,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    },
  });
  const root = await db.category.create({ data: { id: newId(), name: 'Root', createdAt: now } });
  const child = await db.category.create({ data: { id: newId(), name: 'Child', parentId: root.id, createdAt: now } });
  const product = await db.product.create({
    data: {
      id: newId(),
      brandId: brand.id,
      categoryId: child.id,
      name: 'Drift tee',
      description: 'd',
      price: 10_000,
      discountAmount: 1_500,
      gender: 'WOMAN',
      color: 'PURPLE',
      size: 'SMALL',
      status: 'ON_SALE',
      stock: 4,
      version: 3,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    },
  });
  const reservation = await db.stockReservation.create({
    data: {
      orderId: newId(),
      productId: product.id,
      quantity: 2,
      status: 'RELEASED',
      brandId: brand.id,
      sellerId: brand.ownerId,
      price: 10_000,
      discountAmount: 1_500,
      createdAt: now,
      releasedAt: now,
    },
  });
  const refusal = await db.stockRefusal.create({
    data: { orderId: newId(), reason: 'PRODUCT_NOT_FOUND', productId: newId(), refusedAt: now },
  });
  const released = await db.releasedOrder.create({ data: { orderId: reservation.orderId, releasedAt: now } });

  expect(await db.brandGrade.findUniqueOrThrow({ where: { code: grade.code } })).toEqual(grade);
  expect(await db.brand.findUniqueOrThrow({ where: { id: brand.id }, include: { brandGrade: true } })).toEqual({
    ...brand,
    brandGrade: grade,
  });
  expect(await db.category.findUniqueOrThrow({ where: { id: child.id }, include: { parent: true } })).toEqual({
    ...child,
    parent: root,
  });
  expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toEqual({ ...product, salePrice: 8_500 });
  expect(
    await db.stockReservation.findUniqueOrThrow({
      where: { orderId_productId: { orderId: reservation.orderId, productId: product.id } },
    }),
  ).toEqual(reservation);
  expect(await db.stockRefusal.findUniqueOrThrow({ where: { orderId: refusal.orderId } })).toEqual(refusal);
  expect(await db.releasedOrder.findUniqueOrThrow({ where: { orderId: released.orderId } })).toEqual(released);
});

it('enforces the invariants in the database, not only in code', async () => {
  const { db } = catalog.services;
  const brand = await db.brand.create({ data: { id: newId(), name: 'Invariants', ownerId: newId() } });
  const category = await db.category.create({ data: { id: newId(), name: 'Invariants' } });
  const product = (data: Record<string, unknown>) =>
    db.product.create({
      data: {
        id: newId(),
        brandId: brand.id,
        categoryId: category.id,
        name: 'p',
        price: 1_000,
        gender: 'ALL',
        color: 'RED',
        size: 'FREE',
        stock: 1,
        ...data,
      },
    });
  await expect(product({ price: 0 })).rejects.toThrow();
  await expect(product({ discountAmount: 1_000 })).rejects.toThrow();
  await expect(product({ stock: -1 })).rejects.toThrow();
  await expect(product({ stock: 0, status: 'ON_SALE' })).rejects.toThrow();
  await expect(product({ stock: 3, status: 'SOLD_OUT' })).rejects.toThrow();
  await expect(product({ stock: 0, status: 'HIDDEN' })).resolves.toMatchObject({ status: 'HIDDEN' });
  const reserved = await product({});
  const reservation = (data: Record<string, unknown>) =>
    db.stockReservation.create({
      data: {
        orderId: newId(),
        productId: reserved.id,
        quantity: 1,
        brandId: brand.id,
        sellerId: brand.ownerId,
        price: 1_000,
        discountAmount: 0,
        ...data,
      },
    });
  await expect(reservation({ quantity: 0 })).rejects.toThrow();
  await expect(reservation({ price: 0 })).rejects.toThrow();
  await expect(reservation({ discountAmount: 1_000 })).rejects.toThrow();
  await expect(reservation({ discountAmount: -1 })).rejects.toThrow();
  await expect(db.brand.create({ data: { id: newId(), name: 'INVARIANTS', ownerId: newId() } })).rejects.toThrow();
  expect(brand).toMatchObject({ grade: 'BASIC', version: 1 });
  await expect(
    db.brand.create({ data: { id: newId(), name: 'Ungraded', ownerId: newId(), grade: 'NOSUCH' } }),
  ).rejects.toThrow();
  const grade = (data: Record<string, unknown>) =>
    db.brandGrade.create({ data: { code: 'INVARIANT', name: 'Invariant', feeRateBp: 100, ...data } });
  for (const code of ['invariant', 'I', '1NVARIANT', 'IN-VARIANT', `I${'N'.repeat(20)}`]) {
    await expect(grade({ code })).rejects.toThrow();
  }
  await expect(grade({ name: '' })).rejects.toThrow();
  await expect(grade({ name: 'x'.repeat(51) })).rejects.toThrow();
  await expect(grade({ feeRateBp: -1 })).rejects.toThrow();
  await expect(grade({ feeRateBp: 10_001 })).rejects.toThrow();
  await expect(grade({ feeRateBp: 10_000 })).resolves.toMatchObject({ version: 1 });
  await expect(db.category.create({ data: { id: newId(), name: 'invariants' } })).rejects.toThrow();
});

it('carries an unchanged copy of the shared outbox migration', () => {
  const copy = readFileSync(new URL('../db/migrations/20261125000100_outbox.sql', import.meta.url), 'utf8');
  expect(copy).toBe(readFileSync(outboxMigrationPath, 'utf8'));
});
