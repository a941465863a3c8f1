// Where the browser tests find what they drive. `npm run test:web` (scripts/test-web.ts) sets each
// of these for the stack it starts and the storefront build it serves; the defaults are what
// `npm run dev` runs (its storefront dev server, gateway, provider fake and users database), for
// `npm run test:web -- --running`.
const env = (name: string, fallback: string): string => process.env[name] || fallback;

/** The storefront's origin (no trailing slash). */
export const storefrontUrl = env('WEB_TEST_STOREFRONT_URL', 'http://127.0.0.1:5173').replace(/\/$/, '');
/** The gateway's base URL: the tests' own set-up calls go to its /graphql. */
export const gatewayUrl = env('WEB_TEST_GATEWAY_URL', 'http://127.0.0.1:4000').replace(/\/$/, '');
/** The payment provider (the fake in development): wallets are topped up through its checkout. */
export const providerUrl = env('WEB_TEST_PROVIDER_URL', 'http://127.0.0.1:4010').replace(/\/$/, '');
/** The users subgraph's database: test accounts are promoted to SELLER or ADMIN there, as an operator would. */
export const usersDatabaseUrl = env('WEB_TEST_USERS_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/radiata_users');
/** Debian's Chromium unless CHROMIUM_PATH names another (playwright-core brings no browser). */
export const chromiumPath = env('CHROMIUM_PATH', '/usr/bin/chromium');
/** SCREENSHOTS=1: the tests save the pages they visit to docs/screenshots/ (desktop and phone sizes). */
export const screenshotsWanted = process.env.SCREENSHOTS === '1';
