// The storefront's unit tests (test/unit/*.test.ts: the pure logic of src/lib), run by `npm test`
// like every workspace's. The shared preset skips *.browser.test.ts: those need Chromium and a
// running stack, and run with `npm run test:web` (jest.browser.config.cjs).
// The shopper's time zone is Seoul's (UTC+9, no daylight saving time), whatever the machine's: dates
// read and typed in local time are then the same everywhere. Set here, before Jest starts its
// workers (a test's own process.env is a copy that time zones do not read).
process.env.TZ = 'Asia/Seoul';

module.exports = { ...require('../jest.preset.cjs') };
