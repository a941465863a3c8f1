// A customer becomes a seller and opens shop: they apply on their account's "Become a seller" page,
// an admin approves the application, and once logged in again (the role travels in the access
// token) they create a brand, add a product to it and schedule a time sale of it, all on the pages.
import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { type Account, signUp } from './support/accounts.js';
import { launchBrowser, ShopPage } from './support/browser.js';
import { gql, pollFor } from './support/gateway.js';
import { leafCategory, runTag } from './support/shop.js';

const tag = runTag();
const businessName = `Seojin Studio ${tag}`;
const brandName = `Seojin ${tag}`;
const productName = `Linen shirt ${tag}`;
const saleTitle = `Linen week ${tag}`;

/**
 * A business registration number of this run (no other seller holds it): nine random digits and
 * the National Tax Service's check digit, written 123-45-67890.
 */
function businessNumber(checkDigitOff = 0): string {
  const digits = Array.from({ length: 9 }, () => randomInt(0, 10));
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  const sum = digits.reduce((total, digit, index) => total + digit * (weights[index] ?? 0), 0);
  const check = (10 - ((sum + Math.floor(((digits[8] ?? 0) * 5) / 10)) % 10) + checkDigitOff) % 10;
  const all = [...digits, check].join('');
  return `${all.slice(0, 3)}-${all.slice(3, 5)}-${all.slice(5)}`;
}

let browser: Browser;
let applicant: Account;
let admin: Account;
let categoryId: string;
let shop: ShopPage;
let adminShop: ShopPage;

beforeAll(async () => {
  [admin, applicant] = await Promise.all([signUp({ role: 'ADMIN' }), signUp({ name: 'Yoon Seojin' })]);
  categoryId = await leafCategory(admin);
  browser = await launchBrowser();
  // Two shoppers in one browser: each context has its own storage (its own session).
  [shop, adminShop] = await Promise.all([ShopPage.open(browser), ShopPage.open(browser)]);
  await Promise.all([shop.logIn(applicant), adminShop.logIn(admin)]);
});

afterAll(async () => {
  await Promise.all([shop?.close(), adminShop?.close()]);
  await browser?.close();
});

test('a customer applies to become a seller and an admin approves it', async () => {
  const { page } = shop;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
  await page.getByRole('navigation', { name: 'My account' }).getByRole('link', { name: 'Become a seller' }).click();
  await shop.see(page.getByRole('heading', { name: 'Become a seller' }), 'the seller application page');
  const form = page.getByRole('form', { name: 'Apply' });
  await form.getByLabel('Business name').fill(businessName);
  await form.getByLabel('Contact name').fill('Yoon Seojin');
  await form.getByLabel('Contact phone').fill('010-3456-7890');
  await form.getByLabel('Contact email').fill(applicant.email);

  // A mistyped number (its check digit off) is refused at its field.
  await form.getByLabel('Business registration number').fill(businessNumber(1));
  await form.getByRole('button', { name: 'Send application' }).click();
  await shop.see(
    form.getByText('is not a valid business registration number (check digit)'),
    'the refused registration number',
  );
  const number = businessNumber();
  await form.getByLabel('Business registration number').fill(number);
  await shop.screenshot('become-seller');
  await form.getByRole('button', { name: 'Send application' }).click();
  await shop.see(page.getByRole('status').filter({ hasText: 'Application sent. An admin will decide on it.' }), 'sent');
  const application = page.getByRole('region', { name: 'Your applications' }).getByRole('listitem');
  await shop.seeTexts(application, [businessName, number, 'Waiting for a decision'], 'the application');
  await shop.seeGone(form, 'the application form');

  // The admin sees it waiting, and approves it.
  const admins = adminShop.page;
  await admins.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await admins.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Seller applications' }).click();
  await adminShop.see(admins.getByRole('heading', { name: 'Seller applications waiting' }), 'the applications');
  const card = admins.getByRole('listitem', { name: businessName });
  await adminShop.seeTexts(
    card,
    [
      `Registration number ${number}`,
      `Applicant: Yoon Seojin (${applicant.email})`,
      'Contact: Yoon Seojin, 010-3456-7890',
    ],
    'the application card',
  );
  await adminShop.screenshot('admin-seller-applications');
  await card.getByRole('button', { name: `Approve ${businessName}` }).click();
  await adminShop.see(
    admins.getByRole('status').filter({ hasText: `${businessName} approved: the applicant is now a seller.` }),
    'the approval',
  );
  await adminShop.seeGone(card, 'the approved application among those waiting');

  // The new seller logs in again: the header and the application say so.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log out' }).click();
  await shop.logIn(applicant);
  await shop.see(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Seller' }), 'Seller');
  await shop.goto('/account/seller');
  await shop.see(page.getByText('Your account is already a seller account.'), 'the seller account');
  await shop.seeTexts(application, [businessName, 'Approved: you are a seller'], 'the approved application');
});

test('the new seller creates a brand, adds a product and schedules a time sale', async () => {
  const { page } = shop;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Seller' }).click();
  await shop.see(page.getByRole('heading', { name: 'My brands' }), 'the brands page');
  await shop.see(page.getByText('No brand yet: create your first one below.'), 'no brand yet');
  const brandForm = page.getByRole('form', { name: 'New brand' });
  await brandForm.getByLabel('Brand name').fill(brandName);
  await brandForm.getByRole('button', { name: 'Create brand' }).click();
  await shop.see(brandForm.getByRole('status').filter({ hasText: `Brand ${brandName} created.` }), 'the brand');
  await shop.see(page.getByRole('heading', { name: brandName, level: 3 }), 'the brand card');
  await shop.screenshot('seller-brands');

  await page.getByRole('link', { name: `Products of ${brandName}` }).click();
  await shop.see(page.getByRole('heading', { name: 'My products' }), 'the products page');
  await shop.see(page.getByText('No product in this brand yet.'), 'no product yet');
  const productForm = page.getByRole('form', { name: 'New product' });
  await productForm.getByLabel('Product name').fill(productName);
  await productForm.getByLabel('Category').selectOption(categoryId);
  await productForm.getByLabel('Price (won)').fill('39000');
  await productForm.getByLabel('Stock (units)').fill('20');
  await productForm.getByLabel('Colour').selectOption({ label: 'Green' });
  await productForm.getByRole('button', { name: 'Add product' }).click();
  await shop.see(page.getByRole('status').filter({ hasText: `${productName} added.` }), 'the product added');
  const productCard = page.getByRole('listitem', { name: productName });
  await shop.seeTexts(productCard, ['39,000 won', '20 in stock'], 'the product card');
  await shop.screenshot('seller-products');

  // The time sales subgraph learns of the product from the catalog's event: a sale of it can be
  // scheduled once the shop prices it.
  const productId = (await productCard.getByRole('link', { name: productName }).getAttribute('href'))?.split('/').pop();
  if (!productId) throw new Error(`no link to ${productName}`);
  await pollFor(`the time sales subgraph knowing ${productName}`, async () => {
    type Priced = { product: { lowestPrice: { amount: number } | null } | null };
    const { product } = await gql<Priced>('query Priced($id: ID!) { product(id: $id) { lowestPrice { amount } } }', {
      id: productId,
    });
    return product?.lowestPrice ?? undefined;
  });

  await page.getByRole('navigation', { name: 'Seller' }).getByRole('link', { name: 'Time sales' }).click();
  await shop.see(page.getByRole('heading', { name: 'My time sales' }), 'the time sales page');
  const saleCard = page.getByRole('listitem', { name: productName });
  await shop.see(saleCard.getByText('No sale.'), 'the product without a sale');
  await saleCard.getByRole('button', { name: `Put on sale ${productName}` }).click();
  const saleForm = page.getByRole('form', { name: `New time sale for ${productName}` });
  await saleForm.getByLabel('Sale title').fill(saleTitle);
  // Soon, and over in minutes: the development shop is not left showing it.
  await saleForm.getByLabel('Starts').fill(await shop.localTime(3 * 60_000));
  await saleForm.getByLabel('Ends').fill(await shop.localTime(13 * 60_000));
  await saleForm.getByLabel('Discount (%)').fill('25');
  await saleForm.getByLabel('Units on sale').fill('10');
  await saleForm.getByLabel('Most one shopper may buy').fill('1');
  await shop.screenshot('seller-new-time-sale');
  await saleForm.getByRole('button', { name: 'Schedule sale' }).click();
  await shop.see(page.getByRole('status').filter({ hasText: `Time sale ${saleTitle} scheduled.` }), 'the sale');
  await shop.seeTexts(saleCard, [saleTitle, 'Scheduled'], 'the sale on the product card');

  // It is in the shop: its page counts down to its start.
  await saleCard.getByRole('link', { name: saleTitle }).click();
  await shop.see(page.getByRole('heading', { name: saleTitle, level: 1 }), 'the sale page');
  await shop.see(page.getByText('Starts in', { exact: true }), '"Starts in"');
  await shop.see(page.getByText('10 left in this sale'), 'the quantity');
});
