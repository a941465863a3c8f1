// The midnight sale as a shopper lives it: the sale page counts down to zero and opens without a
// reload; the shopper buys the sale product with a coupon and points, pays with the Radiata Pay
// wallet and sees the order become PAID live; meanwhile a second shopper, in a browser of their
// own, watches the quantity left drop.
import type { Browser } from 'playwright-core';
import { type Account, signUp } from './support/accounts.js';
import { launchBrowser, ShopPage } from './support/browser.js';
import {
  claimCoupon,
  createBrand,
  createCoupon,
  createProduct,
  createTimeSale,
  fundWallet,
  givePoints,
  leafCategory,
  runTag,
} from './support/shop.js';

const tag = runTag();
const productName = `Midnight sneakers ${tag}`;
const saleTitle = `Midnight sale ${tag}`;
const couponTitle = `Welcome 5,000 ${tag}`;
const PIN = '482916';
/** How long after its creation the sale opens: enough to open its page and watch the countdown. */
const LEAD_MS = 20_000;

let browsers: Browser[] = [];
let buyer: ShopPage;
let watcher: ShopPage;
let shopper: Account;
let saleId: string;

beforeAll(async () => {
  const [admin, seller] = await Promise.all([signUp({ role: 'ADMIN' }), signUp({ role: 'SELLER' })]);
  shopper = await signUp({ name: 'Choi Yuna' });
  const categoryId = await leafCategory(admin);
  const brandId = await createBrand(seller, `Web sale ${tag}`);
  const productId = await createProduct(seller, { brandId, categoryId, name: productName, price: 100_000 });
  const couponId = await createCoupon(admin, { title: couponTitle, discountAmount: 5_000 });
  await Promise.all([
    claimCoupon(shopper, couponId),
    fundWallet(shopper, PIN, 200_000),
    givePoints(admin, shopper, 3_000),
  ]);
  const [first, second] = await Promise.all([launchBrowser(), launchBrowser()]);
  browsers = [first, second];
  [buyer, watcher] = await Promise.all([ShopPage.open(first), ShopPage.open(second)]);
  await buyer.logIn(shopper);

  // Last, so that the lead time is spent on the page.
  const startAt = new Date(Date.now() + LEAD_MS);
  saleId = await createTimeSale(seller, {
    title: saleTitle,
    startAt,
    // Over in minutes: the development shop is not left showing it.
    endAt: new Date(startAt.getTime() + 10 * 60_000),
    productId,
    discountRate: 30,
    totalQuantity: 5,
    perUserLimit: 1,
  });
});

afterAll(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
});

test('the sale page counts down to zero and the sale opens without a reload', async () => {
  const { page } = buyer;
  await buyer.goto(`/sales/${saleId}`);
  await buyer.see(page.getByRole('heading', { name: saleTitle, level: 1 }), 'the sale heading');
  await buyer.see(page.getByText('Starts in', { exact: true }), '"Starts in"');
  const timer = page.getByRole('timer', { name: 'Starts in' });
  await buyer.see(timer.filter({ hasText: /\d:\d\d/ }), 'the countdown (synced with the shop clock)');
  await buyer.see(page.getByRole('button', { name: `Buy (opens at the start) ${productName}` }), 'Buy, disabled');
  expect(await page.getByRole('button', { name: `Buy (opens at the start) ${productName}` }).isDisabled()).toBe(true);
  await buyer.see(page.getByText('5 left in this sale'), 'the quantity');
  await buyer.screenshot('time-sale-countdown');

  // Every reading of the countdown from now on, as the shopper would see it tick.
  await buyer.markPage();
  await page.evaluate(() => {
    const readings: string[] = [];
    (window as unknown as { countdownReadings: string[] }).countdownReadings = readings;
    setInterval(() => {
      const shown = document.querySelector('[role="timer"]')?.textContent?.match(/(\d+:)?\d+:\d\d/)?.[0];
      const label = document.getElementById('countdown-label')?.textContent ?? '';
      const reading = `${label} ${shown ?? ''}`;
      if (readings.at(-1) !== reading) readings.push(reading);
    }, 50);
  });

  // The sale opens: Buy now appears, with no reload.
  await buyer.see(page.getByRole('link', { name: `Buy now ${productName}` }), 'Buy now', 60_000);
  await buyer.see(page.getByRole('timer', { name: 'Ends in' }), 'the countdown to the end');
  expect(await buyer.stillSamePage()).toBe(true);

  const readings = await page.evaluate(() => (window as unknown as { countdownReadings: string[] }).countdownReadings);
  const before = readings.filter((reading) => reading.startsWith('Starts in '));
  const secondsOf = (reading: string) =>
    reading
      .replace('Starts in ', '')
      .split(':')
      .reduce((total, part) => total * 60 + Number(part), 0);
  // Down second by second to the last one, then straight to "Ends in".
  expect(before.at(-1)).toBe('Starts in 0:01');
  const counted = before.map(secondsOf);
  expect(counted).toEqual([...counted].sort((x, y) => y - x));
  expect(readings[readings.indexOf('Starts in 0:01') + 1]).toMatch(/^Ends in /);
  await buyer.screenshot('time-sale-live');
});

test('the shopper buys with a coupon and points, pays with the wallet and sees it paid live; another sees the quantity drop', async () => {
  const { page } = buyer;
  // The second shopper watches the sale (anonymous).
  await watcher.goto(`/sales/${saleId}`);
  await watcher.see(watcher.page.getByText('5 left in this sale'), "the watcher's quantity");
  await watcher.markPage();

  await page.getByRole('link', { name: `Buy now ${productName}` }).click();
  await buyer.see(page.getByRole('heading', { name: 'Checkout', level: 1 }), 'the checkout');
  await buyer.seeTexts(page.getByRole('region', { name: 'Items' }), [`1 × ${productName}`, 'Time sale'], 'the items');
  await buyer.see(page.getByLabel('Another address'), 'the address choice');
  await page.getByLabel('Recipient').fill('Choi Yuna');
  await page.getByLabel('Mobile phone').fill('010-2345-6789');
  await page.getByLabel('Postal code').fill('06236');
  await page.getByLabel('Road address').fill('152 Teheran-ro, Gangnam-gu, Seoul');
  const coupon = page.getByLabel('Coupon').locator('option', { hasText: couponTitle });
  await buyer.see(page.getByLabel('Coupon'), 'the coupon choice');
  await page.getByLabel('Coupon').selectOption((await coupon.getAttribute('value')) ?? '');
  await buyer.see(page.getByText('You have 3,000 points'), 'the points balance');
  await page.getByLabel('Points to use').fill('3000');
  await buyer.screenshot('checkout');
  await page.getByRole('button', { name: 'Place order' }).click();

  // Reserved (the order saga, followed live), then paid with the wallet's PIN.
  await buyer.see(page.getByRole('heading', { name: 'Your order', level: 1 }), 'the order page');
  await buyer.see(
    page.getByRole('status').filter({ hasText: 'Reserved for you: waiting for your payment' }),
    'AWAITING_PAYMENT',
    60_000,
  );
  // 100,000 won, 30 % off in the sale, 5,000 won coupon, 3,000 points.
  await buyer.see(page.getByRole('heading', { name: 'Pay 62,000 won' }), 'the amount to pay');
  await buyer.seeTexts(
    page.locator('dl.facts'),
    [/Discounts\s*−30,000 won/, /Coupon\s*−5,000 won/, /Points\s*−3,000 won/, /To pay\s*62,000 won/],
    'the summary',
  );
  await buyer.see(page.getByLabel('Radiata Pay wallet (200,000 won)'), 'the wallet');
  await buyer.screenshot('order-awaiting-payment');

  // The second shopper sees one fewer left, live.
  await watcher.see(watcher.page.getByText('4 left in this sale'), "the watcher's quantity after the order", 60_000);
  expect(await watcher.stillSamePage()).toBe(true);

  await page.getByLabel('Wallet PIN').fill(PIN);
  await page.getByRole('button', { name: 'Pay 62,000 won' }).click();
  await buyer.see(page.getByRole('status').filter({ hasText: 'Paid: thank you!' }), 'PAID', 60_000);
  await buyer.seeGone(page.getByRole('button', { name: 'Pay 62,000 won' }), 'the payment form');
  expect(await buyer.stillSamePage()).toBe(true);
  await buyer.screenshot('order-paid');
});
