// A shopper signs up through the storefront, logs out, mistypes their password, and logs in.
import type { Browser } from 'playwright-core';
import { TEST_PASSWORD, uniqueEmail } from './support/accounts.js';
import { launchBrowser, ShopPage } from './support/browser.js';

let browser: Browser;
let shop: ShopPage;

beforeAll(async () => {
  browser = await launchBrowser();
  shop = await ShopPage.open(browser);
});

afterAll(async () => {
  await shop?.close();
  await browser?.close();
});

test('a shopper signs up, logs out and logs in again through the pages', async () => {
  const { page } = shop;
  const name = 'Kim Minji';
  const email = uniqueEmail('signup');
  const nav = page.getByRole('navigation', { name: 'Main' });

  await shop.goto('/');
  await (await shop.see(nav.getByRole('link', { name: 'Sign up' }), 'the Sign up link')).click();
  await shop.see(page.getByRole('heading', { name: 'Create an account' }), 'the sign-up page');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await shop.screenshot('sign-up');
  await page.getByRole('button', { name: 'Sign up' }).click();

  // Signed in at once, back in the shop.
  await shop.see(page.getByText(`Signed in as ${name}`), 'the signed-in header');
  await shop.see(page.getByRole('heading', { name: 'Shop', level: 1 }), 'the shop');
  await shop.see(nav.getByRole('link', { name: 'My orders' }), 'My orders');

  // Logging out from another page leads back to the shop.
  await nav.getByRole('link', { name: 'Coupons', exact: true }).click();
  await shop.see(page.getByRole('heading', { name: 'Coupons', level: 1 }), 'the coupons page');
  await nav.getByRole('button', { name: 'Log out' }).click();
  await shop.see(page.getByRole('heading', { name: 'Shop', level: 1 }), 'the shop after logging out');
  await shop.see(nav.getByRole('link', { name: 'Log in' }), 'the Log in link after logging out');
  await shop.seeGone(page.getByText(`Signed in as ${name}`), 'the signed-in header');

  await nav.getByRole('link', { name: 'Log in' }).click();
  await shop.see(page.getByRole('heading', { name: 'Log in' }), 'the log-in page');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('not the password 1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await shop.see(
    page.getByRole('alert').filter({ hasText: 'That email and password do not match an account.' }),
    'the wrong-password message',
  );

  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await shop.screenshot('log-in');
  await page.getByRole('button', { name: 'Log in' }).click();
  await shop.see(page.getByText(`Signed in as ${name}`), 'the signed-in header after logging in');
  await shop.seeGone(nav.getByRole('link', { name: 'Log in' }), 'the Log in link');
});
