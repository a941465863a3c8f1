// An admin creates a first-come-first-served coupon on the admin pages; shoppers find it on the
// coupons page, open for claiming, and one claims it.
import type { Browser } from 'playwright-core';
import { type Account, signUp } from './support/accounts.js';
import { launchBrowser, ShopPage } from './support/browser.js';
import { runTag } from './support/shop.js';

const title = `Autumn 3,000 ${runTag()}`;
let browser: Browser;
let admin: Account;
let shopper: Account;
let adminShop: ShopPage;
let shop: ShopPage;

beforeAll(async () => {
  [admin, shopper] = await Promise.all([signUp({ role: 'ADMIN' }), signUp({ name: 'Jung Haeun' })]);
  browser = await launchBrowser();
  [adminShop, shop] = await Promise.all([ShopPage.open(browser), ShopPage.open(browser)]);
  await Promise.all([adminShop.logIn(admin), shop.logIn(shopper)]);
});

afterAll(async () => {
  await Promise.all([adminShop?.close(), shop?.close()]);
  await browser?.close();
});

test('an admin creates a first-come-first-served coupon and shoppers can claim it on the coupons page', async () => {
  const { page } = adminShop;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await adminShop.see(page.getByRole('heading', { name: 'Admin', level: 1 }), 'the admin pages');
  const form = page.getByRole('form', { name: 'New first-come-first-served coupon' });
  await adminShop.see(form, 'the new coupon form');
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('How many in all').fill('50');
  await form.getByLabel('Discount kind').selectOption({ label: 'Won off' });
  await form.getByLabel('Discount (won)').fill('3000');
  await form.getByLabel('Smallest order (won)').fill('20000');
  // Claimable from now, for ten minutes: the development shop is not left showing it.
  await form.getByLabel('Claiming opens').fill(await adminShop.localTime(0));
  await form.getByLabel('Claiming closes').fill(await adminShop.localTime(11 * 60_000));
  await form.getByLabel('Usable for (days after claiming)').fill('7');
  await adminShop.screenshot('admin-new-coupon');
  await form.getByRole('button', { name: 'Create coupon' }).click();
  await adminShop.see(page.getByRole('status').filter({ hasText: `Coupon ${title} created.` }), 'the coupon created');
  // Newest first: the first card.
  await adminShop.seeTexts(
    page.getByRole('listitem', { name: title }),
    ['3,000 won off orders from 20,000 won', 'Open', '0 of 50 claimed, 0 issued'],
    'the new coupon in the list',
  );
  await adminShop.screenshot('admin-coupons');

  // A shopper finds it open on the coupons page, and claims it.
  await shop.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coupons', exact: true }).click();
  await shop.see(shop.page.getByRole('heading', { name: 'Coupons', level: 1 }), 'the coupons page');
  const card = shop.page.getByRole('region', { name: 'Open now' }).getByRole('listitem', { name: title });
  await shop.seeTexts(card, ['3,000 won off orders from 20,000 won', '50 of 50 left'], `the coupon ${title}`);
  await card.getByRole('button', { name: `Claim ${title}` }).click();
  await shop.see(card.getByRole('status').filter({ hasText: "It's yours: in My coupons, usable until" }), 'the claim');
  await shop.seeTexts(card, ['49 of 50 left'], 'the quantity left');

  // The admin's list counts the claim.
  await adminShop.goto('/admin');
  await adminShop.seeTexts(
    page.getByRole('listitem', { name: title }),
    ['1 of 50 claimed, 1 issued'],
    'the claim counted',
  );
});
