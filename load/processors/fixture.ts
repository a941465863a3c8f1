// What a run's set-up step (scripts/load.ts) made for the scenarios, written to a JSON file whose
// path the scenarios receive in LOAD_FIXTURE. The shoppers themselves come as CSV payloads (one
// row per virtual user, split between artillery's workers so no two users share a shopper).
import { readFileSync } from 'node:fs';

export interface LoadFixture {
  readonly runId: string;
  /** The opening instant (ISO): the rush coupon opens and the sale starts. */
  readonly t0: string;
  readonly browse: {
    readonly productIds: readonly string[];
    readonly brandIds: readonly string[];
    readonly categoryIds: readonly string[];
  };
  readonly rush: { readonly couponId: string };
  readonly checkout: {
    /** An UNLIMITED coupon every buyer claims and uses. */
    readonly couponId: string;
    /** The product bought in the sale (timeSaleId) at T0 or later. */
    readonly productId: string;
    readonly timeSaleId: string;
    /** Points each buyer spends per order (granted by the set-up). */
    readonly points: number;
    readonly pin: string;
  };
  readonly live: {
    readonly timeSaleId: string;
    /** Products every watcher follows (the sale's and those repriced). */
    readonly productIds: readonly string[];
    /** Products the changers reprice (in no sale: their lowest price is their price). */
    readonly repricedProductIds: readonly string[];
    /** A SELLER's access token for the changers (the products are that seller's). */
    readonly sellerToken: string;
    /** How long a watcher stays connected, in seconds. */
    readonly watchSeconds: number;
    /** Seconds between a changer's price changes, and how many it makes. */
    readonly changeEverySeconds: number;
    readonly changes: number;
  };
}

let loaded: LoadFixture | undefined;

export function fixture(): LoadFixture {
  if (!loaded) {
    const file = process.env.LOAD_FIXTURE;
    if (!file) throw new Error('LOAD_FIXTURE is not set: run the scenarios with `npm run load:<name>`');
    loaded = JSON.parse(readFileSync(file, 'utf8')) as LoadFixture;
  }
  return loaded;
}

/** The gateway's URL (artillery's target), from the same environment the runner sets. */
export function gatewayUrl(): string {
  const url = process.env.LOAD_TARGET;
  if (!url) throw new Error('LOAD_TARGET is not set: run the scenarios with `npm run load:<name>`');
  return url;
}
