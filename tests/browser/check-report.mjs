// Open ibid's HTML report in headless Chromium: no console errors, a click on a flagged claim
// shows its evidence, and a screenshot for the CI artifacts.
// usage: node check-report.mjs REPORT.html SCREENSHOT.png
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [report, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
const requests = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
await page.goto(pathToFileURL(report).href);
const claims = await page.locator('.claim').count();
if (claims < 5) throw new Error(`only ${claims} highlighted claims`);
const flagged = page.locator('.claim.partially_supported').first();
await flagged.click();
const detail = await page.locator('#detail').innerText();
if (!/Evidence/i.test(detail) || !/number-mismatch|quote-mismatch|date-mismatch|name-missing/.test(detail)) {
  throw new Error('clicking a flagged claim did not show its evidence and findings:\n' + detail);
}
const evidence = await page.locator('#detail .evidence p').count();
if (evidence < 1) throw new Error('no evidence passage shown');
// filters hide claims
await page.locator('input[data-v="supported"]').uncheck();
const hidden = await page.locator('.claim.supported.hidden').count();
if (hidden < 1) throw new Error('the verdict filter hid nothing');
await page.locator('input[data-v="supported"]').check();
// a phone-sized viewport still shows the article
await page.setViewportSize({ width: 390, height: 844 });
await page.screenshot({ path: shot.replace(/\.png$/, '-phone.png'), fullPage: false });
await page.setViewportSize({ width: 1280, height: 900 });
await flagged.click();
await page.screenshot({ path: shot, fullPage: false });
if (errors.length) throw new Error('console errors: ' + errors.join('\n'));
if (requests.length) throw new Error('the report made network requests: ' + requests.join(', '));
console.log(`html report: ${claims} claims highlighted, evidence shown on click, filters work, no console errors, no network; screenshot ${shot}`);
await browser.close();
