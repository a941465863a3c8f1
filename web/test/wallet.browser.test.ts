// A shopper opens a Radiata Pay wallet with a PIN and tops it up by card: the storefront opens the
// card provider's checkout (the provider fake in development) and confirms its paymentKey with
// topUpWallet; the balance and the history show each top-up.
import type { Browser } from 'playwright-core';
import { type Account, signUp } from './support/accounts.js';
import { launchBrowser, ShopPage } from './support/browser.js';

const PIN = '730519';
let browser: Browser;
let shop: ShopPage;
let shopper: Account;

beforeAll(async () => {
  shopper = await signUp({ name: 'Han Jiwoo' });
  browser = await launchBrowser();
  // No X-Forwarded-For of the tests': the page calls the provider's checkout, another origin.
  shop = await ShopPage.open(browser, { clientIp: null });
  await shop.logIn(shopper);
});

afterAll(async () => {
  await shop?.close();
  await browser?.close();
});

test('a shopper opens a wallet with a PIN, tops it up by card and sees the balance and history', async () => {
  const { page } = shop;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
  await shop.see(page.getByRole('heading', { name: 'My account', level: 1 }), 'the account pages');
  await page.getByRole('navigation', { name: 'My account' }).getByRole('link', { name: 'Wallet' }).click();
  await shop.see(page.getByRole('heading', { name: 'Radiata Pay wallet' }), 'the wallet page');
  const openForm = page.getByRole('form', { name: 'Open your wallet' });
  await shop.see(openForm, 'the form to open a wallet');

  // Two different PINs are caught on the page; a short one by the API, at its field.
  await openForm.getByLabel('PIN (6 digits)').fill(PIN);
  await openForm.getByLabel('PIN again').fill('730591');
  await openForm.getByRole('button', { name: 'Open wallet' }).click();
  await shop.see(openForm.getByText('The two PINs are not the same.'), 'the PIN mismatch');
  await openForm.getByLabel('PIN (6 digits)').fill('7305');
  await openForm.getByLabel('PIN again').fill('7305');
  await openForm.getByRole('button', { name: 'Open wallet' }).click();
  await shop.see(openForm.getByText('must be 6 digits'), "the API's answer to a short PIN");
  await shop.screenshot('wallet-open');

  await openForm.getByLabel('PIN (6 digits)').fill(PIN);
  await openForm.getByLabel('PIN again').fill(PIN);
  await openForm.getByRole('button', { name: 'Open wallet' }).click();
  const facts = page.locator('dl.facts');
  await shop.seeTexts(facts, [/Balance\s*0 won/, 'Opened'], 'the new wallet');
  const history = page.getByRole('region', { name: 'History' });
  await shop.see(history.getByText('Nothing yet: top up to start.'), 'the empty history');

  const topUp = page.getByRole('form', { name: 'Top up by card' });
  const entries = history.getByRole('listitem').filter({ hasText: 'Top-up' });
  for (const [amount, balance] of [
    ['50000', '50,000 won'],
    ['20000', '70,000 won'],
  ] as const) {
    await topUp.getByLabel('Amount (won)').fill(amount);
    await topUp.getByRole('button', { name: 'Top up' }).click();
    const added = `Added ${Number(amount).toLocaleString('en-US')} won to your wallet.`;
    await shop.see(topUp.getByRole('status').filter({ hasText: added }), `"${added}"`);
    await shop.seeTexts(facts, [new RegExp(`Balance\\s*${balance}`)], 'the balance');
    await shop.see(entries.filter({ hasText: `balance after ${balance}` }), `the top-up to ${balance} in the history`);
  }

  // Newest first: the second top-up, then the first.
  expect(await entries.count()).toBe(2);
  await shop.seeTexts(entries.nth(0), ['Top-up +20,000 won', 'balance after 70,000 won'], 'the newest entry');
  await shop.seeTexts(entries.nth(1), ['Top-up +50,000 won', 'balance after 50,000 won'], 'the first entry');
  expect(await topUp.getByLabel('Amount (won)').inputValue()).toBe('');
  await shop.screenshot('wallet');
});
