// Two shoppers race for the last coupon: the first sees the claim's final result arrive live
// (claimCoupon answers ACCEPTED, couponClaimResult then says ISSUED), the second is told it is gone.
import type { Browser } from 'playwright-core';
import { type Account, signUp } from './support/accounts.js';
import { launchBrowser, ShopPage } from './support/browser.js';
import { createCoupon, runTag } from './support/shop.js';

const title = `Night owl 5,000 ${runTag()}`;
let browsers: Browser[] = [];
let first: Account;
let second: Account;
let admin: Account;

beforeAll(async () => {
  admin = await signUp({ role: 'ADMIN' });
  [first, second] = await Promise.all([signUp({ name: 'Lee Seoyeon' }), signUp({ name: 'Park Jiho' })]);
  await createCoupon(admin, { title, totalQuantity: 1, discountAmount: 5_000 });
  browsers = await Promise.all([launchBrowser(), launchBrowser()]);
});

afterAll(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
});

test('the first shopper gets the only coupon, live; the second is told it is sold out', async () => {
  const [firstBrowser, secondBrowser] = browsers as [Browser, Browser];
  const a = await ShopPage.open(firstBrowser);
  const b = await ShopPage.open(secondBrowser);
  await Promise.all([a.logIn(first), b.logIn(second)]);
  for (const shop of [a, b]) {
    await shop.goto('/coupons');
    const card = shop.page.getByRole('listitem', { name: title });
    await shop.seeTexts(card, ['5,000 won off', '1 of 1 left'], `the coupon ${title}`);
  }
  await a.screenshot('coupons');

  const claimButton = (shop: ShopPage) =>
    shop.page.getByRole('listitem', { name: title }).getByRole('button', { name: `Claim ${title}` });
  const result = (shop: ShopPage) => shop.page.getByRole('listitem', { name: title }).getByRole('status');

  await claimButton(a).click();
  await a.see(result(a).filter({ hasText: "It's yours: in My coupons, usable until" }), 'the claim issued');
  await a.see(
    a.page.getByRole('listitem', { name: title }).getByRole('button', { name: `Claimed ${title}` }),
    'the Claimed button',
  );
  await a.screenshot('coupon-claimed');

  // The quantity left is read again after the claim's answer.
  await a.seeTexts(a.page.getByRole('listitem', { name: title }), ['0 of 1 left'], 'the quantity left');

  await claimButton(b).click();
  await b.see(result(b).filter({ hasText: 'Sold out: every coupon has been claimed.' }), 'the sold-out answer');
  await b.seeTexts(b.page.getByRole('listitem', { name: title }), ['0 of 1 left'], 'the quantity left');

  // The coupon is the first shopper's, in My coupons.
  await a.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My coupons' }).click();
  await a.see(a.page.getByRole('heading', { name: 'My coupons', level: 1 }), 'My coupons');
  await a.seeTexts(a.page.getByRole('listitem'), [title, 'Ready to use'], 'My coupons');
  await Promise.all([a.close(), b.close()]);
});

test('an upcoming coupon counts down to its opening by the server clock, then is claimed without a reload', async () => {
  const [browser] = browsers as [Browser];
  const shop = await ShopPage.open(browser);
  await shop.logIn(first);
  const upcoming = `Dawn 3,000 ${runTag()}`;
  await createCoupon(admin, {
    title: upcoming,
    totalQuantity: 5,
    discountAmount: 3_000,
    issueStartAt: new Date(Date.now() + 20_000),
  });
  await shop.goto('/coupons');
  const card = shop.page.getByRole('listitem', { name: upcoming });
  await shop.see(card.getByRole('button', { name: /^Opens in \d+:\d{2}/ }), 'the button counting down');
  await shop.markPage();
  // Enabled at the opening instant by itself (the click waits for it).
  await card.getByRole('button', { name: `Claim ${upcoming}` }).click({ timeout: 60_000 });
  await shop.see(card.getByRole('status').filter({ hasText: "It's yours" }), 'the claim issued');
  expect(await shop.stillSamePage()).toBe(true);
  await shop.close();
});
