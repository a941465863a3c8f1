/**
 * Faults a test turns on. Every "next N" counter is used up one request at a time; a request
 * that fails authentication or validation uses none.
 */
export interface ProviderFakeSwitches {
  /** Milliseconds waited before every /v1 request is handled (so before it is processed). */
  latencyMs: number;
  /** The next N confirms answer 500 FAILED_INTERNAL_SYSTEM_PROCESSING; nothing is done or remembered. */
  failNextConfirms: number;
  /** The next N cancels answer 500 FAILED_INTERNAL_SYSTEM_PROCESSING; nothing is done or remembered. */
  failNextCancels: number;
  /** The next N confirms are never answered (the client's timeout fires); nothing is done. */
  holdNextConfirms: number;
  /** The next N cancels are never answered (the client's timeout fires); nothing is done. */
  holdNextCancels: number;
  /** The next N confirms that would succeed are declined: 403 REJECT_CARD_PAYMENT, the payment ABORTED. */
  declineNextConfirms: number;
  /** The next N confirms are processed (and remembered under their Idempotency-Key), then the connection is destroyed unanswered. */
  loseNextConfirmAnswers: number;
  /** The next N cancels are processed (and remembered under their Idempotency-Key), then the connection is destroyed unanswered. */
  loseNextCancelAnswers: number;
  /**
   * The next N confirms are processed (and remembered under their Idempotency-Key), then never
   * answered: the connection stays open until the client gives up (or the fake stops). For crash
   * tests: the provider has charged and the client, killed while waiting, never learns it.
   */
  holdNextConfirmAnswers: number;
  /** The next N cancels are processed (and remembered under their Idempotency-Key), then never answered, as holdNextConfirmAnswers. */
  holdNextCancelAnswers: number;
}

export type SwitchName = keyof ProviderFakeSwitches;
export type CountingSwitch = Exclude<SwitchName, 'latencyMs'>;

export const SWITCH_NAMES: readonly SwitchName[] = [
  'latencyMs',
  'failNextConfirms',
  'failNextCancels',
  'holdNextConfirms',
  'holdNextCancels',
  'declineNextConfirms',
  'loseNextConfirmAnswers',
  'loseNextCancelAnswers',
  'holdNextConfirmAnswers',
  'holdNextCancelAnswers',
];

const allOff = (): ProviderFakeSwitches => ({
  latencyMs: 0,
  failNextConfirms: 0,
  failNextCancels: 0,
  holdNextConfirms: 0,
  holdNextCancels: 0,
  declineNextConfirms: 0,
  loseNextConfirmAnswers: 0,
  loseNextCancelAnswers: 0,
  holdNextConfirmAnswers: 0,
  holdNextCancelAnswers: 0,
});

export class Switches {
  private state = allOff();

  get(): ProviderFakeSwitches {
    return { ...this.state };
  }

  /** Sets the given switches and leaves the others; throws on a name or value it does not know. */
  set(changes: Readonly<Record<string, unknown>>): ProviderFakeSwitches {
    const next = { ...this.state };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (!(SWITCH_NAMES as readonly string[]).includes(name)) throw new RangeError(`unknown switch "${name}"`);
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`switch "${name}" takes a whole number ≥ 0`);
      }
      next[name as SwitchName] = value;
    }
    this.state = next;
    return this.get();
  }

  /** Uses up one of a "next N" counter: true when it was on. */
  take(name: CountingSwitch): boolean {
    if (this.state[name] === 0) return false;
    this.state[name] -= 1;
    return true;
  }

  reset(): void {
    this.state = allOff();
  }
}
