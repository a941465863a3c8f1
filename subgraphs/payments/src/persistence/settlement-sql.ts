import type { Transaction } from './database.js';

/**
 * The settlement's set-based statements: each chunk reads, marks and sums in the database, so a
 * run's memory does not grow with the number of payments. Keyset reads (id > the checkpoint,
 * never OFFSET) on partial indexes that hold only what is not settled yet.
 */

const NO_ID = '00000000-0000-0000-0000-000000000000';

export interface ChunkResult {
  /** Rows read (0: the phase is over). */
  readonly read: number;
  /** Rows this run marked (fewer than read only if another run took some first). */
  readonly taken: number;
  /** The last id read: the next chunk starts after it. */
  readonly last: string | null;
}

interface ChunkRow {
  read: number;
  taken: number;
  last: string | null;
}

const single = (rows: ChunkRow[]): ChunkResult => {
  const row = rows[0];
  return { read: row?.read ?? 0, taken: row?.taken ?? 0, last: row?.last ?? null };
};

/** What the run will take: unsettled approved order payments and completed refunds from before `end`. */
export async function countUnsettled(tx: Transaction, end: Date): Promise<number> {
  const [row] = await tx.$queryRaw<{ total: number }[]>`
    SELECT ((SELECT count(*) FROM payments
              WHERE settlement_run_id IS NULL AND purpose = 'ORDER' AND approved_at IS NOT NULL AND approved_at < ${end})
          + (SELECT count(*) FROM refunds
              WHERE settlement_run_id IS NULL AND status = 'DONE' AND amounts_by_brand IS NOT NULL AND completed_at < ${end})
           )::int AS total`;
  return row?.total ?? 0;
}

/** Takes the next `size` payments approved before `end` into the run: marks them and adds each brand's part to its gross. */
export async function settlePaymentChunk(
  tx: Transaction,
  run: { id: string; end: Date; after: string | null },
  size: number,
): Promise<ChunkResult> {
  return single(
    await tx.$queryRaw<ChunkRow[]>`
      WITH chunk AS (
        SELECT id FROM payments
        WHERE settlement_run_id IS NULL AND purpose = 'ORDER' AND approved_at IS NOT NULL
          AND approved_at < ${run.end} AND id > ${run.after ?? NO_ID}::uuid
        ORDER BY id LIMIT ${size}
      ), marked AS (
        UPDATE payments p SET settlement_run_id = ${run.id}::uuid
        FROM chunk WHERE p.id = chunk.id AND p.settlement_run_id IS NULL
        RETURNING p.order_id
      ), parts AS (
        SELECT part.brand::uuid AS brand_id, sum(part.won::bigint) AS won, count(*)::int AS payments
        FROM marked
        JOIN payable_orders o ON o.order_id = marked.order_id
        CROSS JOIN LATERAL jsonb_each_text(o.amounts_by_brand) AS part(brand, won)
        GROUP BY part.brand
      ), added AS (
        INSERT INTO settlements (run_id, brand_id, gross, payment_count)
        SELECT ${run.id}::uuid, brand_id, won, payments FROM parts
        ON CONFLICT (run_id, brand_id) DO UPDATE
          SET gross = settlements.gross + excluded.gross,
              payment_count = settlements.payment_count + excluded.payment_count
      )
      SELECT (SELECT count(*) FROM chunk)::int AS read, (SELECT count(*) FROM marked)::int AS taken,
             (SELECT id FROM chunk ORDER BY id DESC LIMIT 1)::text AS last`,
  );
}

/** Takes the next `size` refunds completed before `end` into the run: marks them and adds each brand's part to its refunds. */
export async function settleRefundChunk(
  tx: Transaction,
  run: { id: string; end: Date; after: string | null },
  size: number,
): Promise<ChunkResult> {
  return single(
    await tx.$queryRaw<ChunkRow[]>`
      WITH chunk AS (
        SELECT id FROM refunds
        WHERE settlement_run_id IS NULL AND status = 'DONE' AND amounts_by_brand IS NOT NULL
          AND completed_at < ${run.end} AND id > ${run.after ?? NO_ID}::uuid
        ORDER BY id LIMIT ${size}
      ), marked AS (
        UPDATE refunds r SET settlement_run_id = ${run.id}::uuid
        FROM chunk WHERE r.id = chunk.id AND r.settlement_run_id IS NULL
        RETURNING r.amounts_by_brand
      ), parts AS (
        SELECT part.brand::uuid AS brand_id, sum(part.won::bigint) AS won, count(*)::int AS refunds
        FROM marked CROSS JOIN LATERAL jsonb_each_text(marked.amounts_by_brand) AS part(brand, won)
        GROUP BY part.brand
      ), added AS (
        INSERT INTO settlements (run_id, brand_id, refunds, refund_count)
        SELECT ${run.id}::uuid, brand_id, won, refunds FROM parts
        ON CONFLICT (run_id, brand_id) DO UPDATE
          SET refunds = settlements.refunds + excluded.refunds,
              refund_count = settlements.refund_count + excluded.refund_count
      )
      SELECT (SELECT count(*) FROM chunk)::int AS read, (SELECT count(*) FROM marked)::int AS taken,
             (SELECT id FROM chunk ORDER BY id DESC LIMIT 1)::text AS last`,
  );
}

/** Freezes the fee rate of every brand the catalog told about, as its grade stands now. */
export async function freezeFeeRates(tx: Transaction, runId: string, defaultFeeRateBp: number): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO settlement_fee_rates (run_id, brand_id, grade, fee_rate_bp)
    SELECT ${runId}::uuid, b.brand_id, b.grade, coalesce(g.fee_rate_bp, ${defaultFeeRateBp})
    FROM catalog_brands b LEFT JOIN catalog_grades g ON g.grade = b.grade`;
}

/** Closes the run's totals: each brand's frozen rate (the run's default if unknown), fee rounded down, net. */
export async function closeTotals(tx: Transaction, runId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE settlements s
    SET grade = rate.grade, fee_rate_bp = rate.bp,
        fee = s.gross * rate.bp / 10000,
        net = s.gross - s.refunds - s.gross * rate.bp / 10000
    FROM (
      SELECT s2.id, coalesce(r.grade, run.default_grade) AS grade, coalesce(r.fee_rate_bp, run.default_fee_rate_bp) AS bp
      FROM settlements s2
      JOIN settlement_runs run ON run.id = s2.run_id
      LEFT JOIN settlement_fee_rates r ON r.run_id = s2.run_id AND r.brand_id = s2.brand_id
      WHERE s2.run_id = ${runId}::uuid
    ) AS rate
    WHERE s.id = rate.id`;
}

export interface RunTotals {
  readonly brands: number;
  readonly gross: bigint;
  readonly refunds: bigint;
  readonly fee: bigint;
  readonly net: bigint;
}

/** The run's sums over its brands. */
export async function runTotals(tx: Transaction, runId: string): Promise<RunTotals> {
  const [row] = await tx.$queryRaw<RunTotals[]>`
    SELECT count(*)::int AS brands, coalesce(sum(gross), 0)::bigint AS gross, coalesce(sum(refunds), 0)::bigint AS refunds,
           coalesce(sum(fee), 0)::bigint AS fee, coalesce(sum(net), 0)::bigint AS net
    FROM settlements WHERE run_id = ${runId}::uuid`;
  return row ?? { brands: 0, gross: 0n, refunds: 0n, fee: 0n, net: 0n };
}
