// Where the storefront finds the gateway: the only server it talks to (queries and mutations over
// HTTP, subscriptions over graphql-ws on the same path). Set at build time (VITE_GATEWAY_URL).
export const gatewayUrl: string = import.meta.env.VITE_GATEWAY_URL || 'http://localhost:4000/graphql';
export const gatewayWsUrl: string = import.meta.env.VITE_GATEWAY_WS_URL || gatewayUrl.replace(/^http/, 'ws');
/**
 * Where a card payment's checkout is opened (it answers a paymentKey that payOrder confirms). In
 * development the provider fake stands in for the card provider's browser widget.
 */
export const providerCheckoutUrl: string =
  import.meta.env.VITE_PROVIDER_CHECKOUT_URL || 'http://localhost:4010/v1/checkouts';
