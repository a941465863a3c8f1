/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The gateway's GraphQL URL (HTTP); default http://localhost:4000/graphql. */
  readonly VITE_GATEWAY_URL?: string;
  /** Its WebSocket URL for subscriptions; default the HTTP URL with ws(s):. */
  readonly VITE_GATEWAY_WS_URL?: string;
  /** The card checkout (development: the provider fake's POST /v1/checkouts). */
  readonly VITE_PROVIDER_CHECKOUT_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
