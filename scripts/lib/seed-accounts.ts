// The demo accounts `npm run seed` makes (lib/seed.ts), apart from it: scripts that only sign in
// as them (the load tests) need not load the subgraphs that seeding goes through.

/** Every demo account's password. */
export const DEMO_PASSWORD = 'radiata-demo-2026';

export type DemoRole = 'ADMIN' | 'SELLER' | 'CUSTOMER';

export interface DemoAccount {
  readonly email: string;
  readonly name: string;
  readonly role: DemoRole;
}

export const demoAccounts: readonly DemoAccount[] = [
  { email: 'admin@radiata.dev', name: 'Radiata Admin', role: 'ADMIN' },
  { email: 'seller1@radiata.dev', name: 'Han Seojun', role: 'SELLER' },
  { email: 'seller2@radiata.dev', name: 'Choi Yuna', role: 'SELLER' },
  { email: 'seller3@radiata.dev', name: 'Jung Doyun', role: 'SELLER' },
  { email: 'seller4@radiata.dev', name: 'Kang Haeun', role: 'SELLER' },
  { email: 'seller5@radiata.dev', name: 'Yoon Jiwoo', role: 'SELLER' },
  { email: 'customer1@radiata.dev', name: 'Kim Minji', role: 'CUSTOMER' },
  { email: 'customer2@radiata.dev', name: 'Lee Jiho', role: 'CUSTOMER' },
  { email: 'customer3@radiata.dev', name: 'Park Seoyeon', role: 'CUSTOMER' },
];
