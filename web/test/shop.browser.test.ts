// A visitor opens the storefront, finds a product in the list and opens its page: the lowest price
// and where it comes from, as the shop shows them.
import type { Browser } from 'playwright-core';
import { signUp } from './support/accounts.js';
import { launchBrowser, ShopPage } from './support/browser.js';
import { createBrand, createProduct, leafCategory, runTag } from './support/shop.js';

const tag = runTag();
const productName = `Aurora runner ${tag}`;
let browser: Browser;
let shop: ShopPage;

beforeAll(async () => {
  const [admin, seller] = await Promise.all([signUp({ role: 'ADMIN' }), signUp({ role: 'SELLER' })]);
  const categoryId = await leafCategory(admin);
  const brandId = await createBrand(seller, `Web shop ${tag}`);
  // 59,000 won less the brand's own 9,000 won discount.
  await createProduct(seller, { brandId, categoryId, name: productName, price: 59_000, discountAmount: 9_000 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  shop = await ShopPage.open(browser);
});

afterEach(async () => {
  await shop?.close();
});

test('the storefront opens on the shop and lists products with their lowest prices', async () => {
  const { page } = shop;
  await shop.goto('/');
  await shop.see(page.getByRole('heading', { name: 'Shop', level: 1 }), 'the shop heading');
  const products = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
  await shop.see(products.getByRole('link'), 'a product in the list');
  await shop.see(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' }), 'Log in');

  // Searching narrows the list down to the product.
  await page.getByLabel('Search', { exact: true }).fill(productName);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const card = products.filter({ has: page.getByRole('link', { name: productName }) });
  await shop.seeTexts(
    card,
    [`Web shop ${tag}`, 'Now 50,000 won', 'instead of 59,000 won'],
    `the card of ${productName}`,
  );
  await shop.screenshot('shop');
});

test('a product page shows its lowest price and where it comes from', async () => {
  const { page } = shop;
  await shop.goto(`/?q=${encodeURIComponent(productName)}`);
  await (await shop.see(page.getByRole('link', { name: productName }), `the link to ${productName}`)).click();

  await shop.see(page.getByRole('heading', { name: productName, level: 1 }), 'the product heading');
  await shop.seeTexts(
    page.getByRole('region', { name: 'Price' }),
    ['Now 50,000 won', 'instead of 59,000 won', "The brand's own discount."],
    'the price',
  );
  await shop.see(page.getByText('In stock'), 'the stock');
  await shop.see(page.getByRole('button', { name: 'Add to cart' }), 'Add to cart');
  await shop.screenshot('product');
});
