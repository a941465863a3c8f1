import { receiveOnce } from '@radiata/inbox';
import type { Database, Transaction } from '../persistence/database.js';

/** `catalog.brand.changed`: a brand as it is after a change (created, renamed, graded, deleted). */
export interface BrandChanged {
  readonly kind: 'brand';
  readonly brandId: string;
  readonly ownerId: string;
  readonly name: string;
  readonly grade: string;
  readonly deleted: boolean;
  readonly version: number;
}

/** `catalog.grade.changed`: a brand grade as it is after a change. */
export interface GradeChanged {
  readonly kind: 'grade';
  readonly grade: string;
  readonly name: string;
  readonly feeRateBasisPoints: number;
  readonly version: number;
}

export type CatalogChange = BrandChanged | GradeChanged;
export type CatalogChangeOutcome = 'applied' | 'stale' | 'duplicate';

/**
 * What payments knows of the catalog's brands and grades: who owns a brand (sellers see their
 * brands' settlements) and the fee rate of its grade (the settlement's fee). Each event is applied
 * once (inbox) and only when newer than what is held, so late or repeated events change nothing.
 */
export class CatalogReplica {
  constructor(private readonly db: Database) {}

  apply(consumer: string, messageId: string, change: CatalogChange): Promise<CatalogChangeOutcome> {
    return this.db.$transaction(async (tx) => {
      if (!(await receiveOnce((sql, values) => tx.$executeRawUnsafe(sql, ...values), consumer, messageId))) {
        return 'duplicate';
      }
      const changed = change.kind === 'brand' ? await upsertBrand(tx, change) : await upsertGrade(tx, change);
      return changed === 1 ? 'applied' : 'stale';
    });
  }

  /** The brands `ownerId` owns (deleted ones too: their settlements stay theirs). */
  async brandsOf(ownerId: string): Promise<string[]> {
    const brands = await this.db.catalogBrand.findMany({ where: { ownerId }, select: { brandId: true } });
    return brands.map((brand) => brand.brandId);
  }

  /** The owner of the brand, or null when the catalog has not told payments about it. */
  async ownerOf(brandId: string): Promise<string | null> {
    const brand = await this.db.catalogBrand.findUnique({ where: { brandId }, select: { ownerId: true } });
    return brand?.ownerId ?? null;
  }
}

const upsertBrand = (tx: Transaction, brand: BrandChanged) =>
  tx.$executeRaw`
    INSERT INTO catalog_brands (brand_id, owner_id, name, grade, deleted, version)
    VALUES (${brand.brandId}::uuid, ${brand.ownerId}::uuid, ${brand.name}, ${brand.grade}, ${brand.deleted}, ${brand.version})
    ON CONFLICT (brand_id) DO UPDATE
      SET owner_id = excluded.owner_id, name = excluded.name, grade = excluded.grade,
          deleted = excluded.deleted, version = excluded.version, updated_at = now()
      WHERE catalog_brands.version < excluded.version`;

const upsertGrade = (tx: Transaction, grade: GradeChanged) =>
  tx.$executeRaw`
    INSERT INTO catalog_grades (grade, name, fee_rate_bp, version)
    VALUES (${grade.grade}, ${grade.name}, ${grade.feeRateBasisPoints}, ${grade.version})
    ON CONFLICT (grade) DO UPDATE
      SET name = excluded.name, fee_rate_bp = excluded.fee_rate_bp, version = excluded.version, updated_at = now()
      WHERE catalog_grades.version < excluded.version`;
