/**
 * @radiata/provider-fake: a local fake of the payment provider, a real HTTP server speaking the
 * Toss Payments v1 API (Payment objects of version 2022-11-16). A Toss client talks to it or to
 * https://api.tosspayments.com by configuration alone: base URL and secret key.
 *
 * In-process: `startProviderFake({ secretKey, port?, host?, checkoutTtlMs?, clock? })`. As a process:
 * `src/main.ts` (PROVIDER_SECRET_KEY, PROVIDER_FAKE_PORT = 4010, PROVIDER_FAKE_HOST = 127.0.0.1,
 * PROVIDER_FAKE_CHECKOUT_TTL_MS = 600000). State lives in memory: a stop or restart forgets it all.
 *
 * Endpoints (JSON; errors are Toss's `{ code, message }`; "auth" is HTTP Basic `base64(secretKey + ":")`,
 * else 401 UNAUTHORIZED_KEY):
 * - `POST /v1/checkouts {orderId, amount, orderName?}` (no auth, CORS open): stands in for the widget.
 *   200 `{paymentKey, orderId, orderName, amount, expiresAt}`. orderId is 6–64 of [A-Za-z0-9_-]
 *   (Toss's rule). The paymentKey can be confirmed once, for that orderId and amount, before
 *   expiresAt (10 minutes by default). 400 INVALID_REQUEST; 400 DUPLICATED_ORDER_ID when the order
 *   already has an approved payment.
 * - `POST /v1/payments/confirm {paymentKey, orderId, amount}` (auth, Idempotency-Key optional):
 *   200 Payment with status DONE, approvedAt, balanceAmount = totalAmount, cancels null.
 *   404 NOT_FOUND_PAYMENT_SESSION: unknown paymentKey, checkout expired or declined before, or
 *   another orderId than the checkout's. 400 INVALID_AMOUNT: another amount than the checkout's (the
 *   fake's own code: Toss documents none). 400 ALREADY_PROCESSED_PAYMENT: confirmed before (under
 *   another or no Idempotency-Key), or the order has another approved payment.
 *   403 REJECT_CARD_PAYMENT and 500 FAILED_INTERNAL_SYSTEM_PROCESSING: from the switches.
 * - `POST /v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount?}` (auth, Idempotency-Key
 *   optional): cancels cancelAmount, or all that is left without it. 200 Payment with status
 *   PARTIAL_CANCELED or CANCELED, balanceAmount down, one `cancels` entry per cancel.
 *   404 NOT_FOUND_PAYMENT (unknown), 403 NOT_CANCELABLE_PAYMENT (never approved), 403
 *   NOT_CANCELABLE_AMOUNT (more than is left), 400 ALREADY_CANCELED_PAYMENT (nothing left);
 *   500 FAILED_INTERNAL_SYSTEM_PROCESSING from the switches.
 * - `GET /v1/payments/{paymentKey}` and `GET /v1/payments/orders/{orderId}` (auth): 200 Payment in
 *   whatever status it is (IN_PROGRESS, EXPIRED, ABORTED, DONE, PARTIAL_CANCELED, CANCELED; by
 *   order: its approved payment, else its latest checkout); 404 NOT_FOUND_PAYMENT.
 * - Any request: 400 INVALID_REQUEST for a malformed body or an Idempotency-Key over 300
 *   characters, 413 INVALID_REQUEST for a body over 64 KiB, 404 NOT_FOUND for an unknown route.
 * - `GET /healthz`: 200 `{status: "ok"}`.
 *
 * Idempotency-Key: per endpoint (the confirm endpoint; the cancel of one paymentKey), the first
 * answer to a key, status and exact body, errors included, is answered again for 15 days and
 * nothing is done again. Not remembered: malformed requests and the switches' 500s and
 * holdNextConfirms/holdNextCancels (the *Answers switches are remembered: the request was done).
 *
 * Control, for tests and development (no auth, never delayed; also as functions on the result of
 * startProviderFake): `GET /__fake/switches`; `POST /__fake/switches {…some switches}` sets those
 * and answers them all; `GET /__fake/ledger` lists every confirm and cancel applied, with totals
 * per paymentKey; `POST /__fake/reset` (204) forgets all state and turns every switch off. The
 * switches (ProviderFakeSwitches): latencyMs, failNextConfirms, failNextCancels,
 * holdNextConfirms, holdNextCancels (never answered, nothing done), declineNextConfirms,
 * loseNextConfirmAnswers, loseNextCancelAnswers (done, then the connection is destroyed),
 * holdNextConfirmAnswers, holdNextCancelAnswers (done and remembered under the Idempotency-Key,
 * then never answered: the connection stays open until the client gives up; for crash tests).
 *
 * Not like Toss: messages are in English (Toss answers in Korean by default); only card payments;
 * mId is "tosspayments-fake"; receipt and checkout are null; the checkout endpoint is the fake's
 * own (Toss's widget redirects the browser to `successUrl?paymentKey&orderId&amount` instead).
 */
export type { Checkout, Clock, Ledger, LedgerEntry, LedgerPayment } from './provider.js';
export type { CheckoutRequest } from './requests.js';
export {
  MAX_BODY_BYTES,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  type ProviderFake,
  type ProviderFakeOptions,
  startProviderFake,
} from './server.js';
export type { ProviderFakeSwitches } from './switches.js';
export {
  TOSS_API_VERSION,
  type TossCancel,
  type TossCard,
  TossError,
  type TossPayment,
  type TossPaymentStatus,
} from './toss.js';
