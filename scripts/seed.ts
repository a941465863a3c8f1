// `npm run seed`: demo data in the DEVELOPMENT databases (radiata_users, radiata_catalog, or
// USERS_DATABASE_URL / CATALOG_DATABASE_URL), for Apollo Sandbox and load tests. Migrates them
// first, so it works on a fresh machine; safe to re-run (it skips what exists). See lib/seed.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadLocalEnv } from './lib/env-file.js';
import { color, errorMessage, fail, redactUrl } from './lib/log.js';
import { migrateAll } from './lib/migrate.js';
import { bin, repoRoot } from './lib/paths.js';
import { databaseUrl, readSubgraphs } from './lib/subgraphs.js';

loadLocalEnv({ generate: false });
const missing = ['JWT_SECRET', 'GATEWAY_CONTEXT_SECRET'].filter((key) => !process.env[key]);
if (missing.length > 0)
  fail(`seed: ${missing.join(' and ')} not set: run \`npm run env:init\` (or \`npm run dev\`) first`);

const subgraphs = readSubgraphs().filter((subgraph) => subgraph.name === 'users' || subgraph.name === 'catalog');
if (subgraphs.length !== 2) fail('seed: rover.yaml must list the users and catalog subgraphs');

// The Prisma clients are generated (gitignored): generate them if this machine has not yet.
const clientMissing = subgraphs.some(
  (subgraph) => !existsSync(path.join(subgraph.dir, 'src', 'generated', 'prisma', 'client.ts')),
);
if (clientMissing) {
  console.log(color.dim('generating the Prisma clients…'));
  const generate = spawnSync(bin('turbo'), ['run', 'generate', '--output-logs=errors-only'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (generate.status !== 0) fail('seed: generating the Prisma clients failed (see above)');
}

try {
  await migrateAll(subgraphs);
} catch (error) {
  fail(`seed: ${errorMessage(error)} (is PostgreSQL running? \`npm run services:up\`)`);
}

const usersDatabaseUrl = databaseUrl('users');
const catalogDatabaseUrl = databaseUrl('catalog');
console.log(`\nseeding ${color.dim(redactUrl(usersDatabaseUrl))} and ${color.dim(redactUrl(catalogDatabaseUrl))}`);

// Imported only now: the domain services load the generated Prisma clients.
const { DEMO_PASSWORD, demoAccounts, seedDemoData } = await import('./lib/seed.js');
const started = Date.now();
let report: Awaited<ReturnType<typeof seedDemoData>>;
try {
  report = await seedDemoData({
    usersDatabaseUrl,
    catalogDatabaseUrl,
    secrets: { JWT_SECRET: process.env.JWT_SECRET, GATEWAY_CONTEXT_SECRET: process.env.GATEWAY_CONTEXT_SECRET },
    log: (line) => console.log(`  ${line}`),
  });
} catch (error) {
  fail(`seed: ${errorMessage(error)}`);
}

const { totals } = report;
const nothingNew =
  report.users.every((user) => user.outcome === 'existing') &&
  report.categories.created === 0 &&
  report.brands.every((brand) => brand.outcome === 'existing') &&
  report.products.created === 0;
console.log(
  color.green(
    `\n${nothingNew ? 'Nothing to do: the demo data was already there' : 'Demo data written'} (${((Date.now() - started) / 1000).toFixed(1)} s).`,
  ),
);
if (report.rolesSet.length > 0)
  console.log(color.yellow(`Role reset on existing accounts: ${report.rolesSet.join(', ')}`));
if (report.products.skippedBrands.length > 0) {
  console.log(
    color.dim(`Products left alone for brands that already had some: ${report.products.skippedBrands.join(', ')}`),
  );
}

console.log(
  `\n${color.bold(`Accounts (password ${DEMO_PASSWORD}; an account that existed before seeding keeps its own)`)}`,
);
for (const account of demoAccounts) {
  const outcome = report.users.find((user) => user.email === account.email)?.outcome ?? '';
  console.log(
    `  ${account.role.padEnd(8)} ${account.email.padEnd(22)} ${account.name.padEnd(14)} ${color.dim(outcome)}`,
  );
}
const { ON_SALE, SOLD_OUT, HIDDEN } = totals.productsByStatus;
console.log(`\n${color.bold('The databases now hold')}`);
console.log(`  users       ${totals.users}`);
console.log(`  categories  ${totals.categories}`);
console.log(`  brands      ${totals.brands}`);
console.log(`  products    ${totals.products} (ON_SALE ${ON_SALE}, SOLD_OUT ${SOLD_OUT}, HIDDEN ${HIDDEN})`);
if (report.products.created > 0) {
  console.log(color.dim('  (their catalog.product.created events wait in the outbox until the catalog subgraph runs)'));
}

console.log(`\n${color.bold('Try it')} (\`npm run dev\`, then Apollo Sandbox at http://localhost:4000/graphql):`);
console.log(`
  # the category tree
  query { categories { name children { name } } }

  # cheapest navy items for women, with brand and seller (the seller's name comes from the users subgraph)
  query {
    products(first: 5, sort: PRICE_ASC, filter: { gender: WOMAN, color: NAVY }) {
      edges { node { name salePrice discountAmount status brand { name owner { name email } } } }
    }
  }

  # a seller's own brands and products, HIDDEN ones included: log in first
  curl -s localhost:4000/graphql -H 'content-type: application/json' -d '{"query":
    "mutation { logIn(input: {email: \\"seller1@radiata.dev\\", password: \\"${DEMO_PASSWORD}\\"}) { accessToken } }"}'
  query { me { name role brands { name products(first: 5) { edges { node { name status stockQuantity } } } } } }
`);
