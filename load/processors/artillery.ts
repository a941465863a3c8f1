// The slice of artillery 2's processor API that Radiata's scenarios use (artillery ships no types
// for it): a virtual user's context, the metrics emitter, and the HTTP hooks' arguments.

export interface VirtualUser {
  /** Template variables (`{{ name }}` in the scenario), payload fields included. */
  vars: Record<string, unknown>;
}

/** Custom metrics: counters add up, histograms give min/max/median/p95/p99 in the report. */
export interface Metrics {
  emit(type: 'counter', name: string, value: number): void;
  emit(type: 'histogram', name: string, value: number): void;
  emit(type: 'error', message: string): void;
}

export interface RequestParams {
  name?: string;
  url?: string;
  headers?: Record<string, string>;
  json?: unknown;
}

export interface Response {
  statusCode: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export type Done = (error?: Error) => void;
