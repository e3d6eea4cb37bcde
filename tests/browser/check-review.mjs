// Open ibid's review report (--format review-html) in headless Chromium: no console errors, no
// network, no script, every reference group it counts is on the page, a reference's line link
// lands on that line of the listed wikitext, and a screenshot (desktop and phone).
// usage: node check-review.mjs REVIEW.html SCREENSHOT.png
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [review, shot] = process.argv.slice(2);
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
await page.goto(pathToFileURL(review).href);
if (await page.locator('script').count()) throw new Error('the review carries a script');
const refs = await page.locator('article.ref').count();
if (refs < 1) throw new Error('no reference on the page');
// the counts in the header match the cards in each group
const groups = ['dead', 'rescued', 'changed', 'live', 'unchecked'];
const counts = {};
for (const g of groups) {
  const badge = page.locator(`nav a[href$="-${g}"] .badge`).first();
  const n = Number(await badge.innerText());
  const cards = await page.locator(`section[id$="-${g}"] article.ref`).count();
  if (n !== cards) throw new Error(`${g}: header says ${n}, page shows ${cards}`);
  counts[g] = n;
}
// a reference's "cited at line N" link targets line N of the listing
const link = page.locator('article.ref .meta a[href*="-L"]').first();
if (await link.count()) {
  const target = (await link.getAttribute('href')).slice(1);
  await link.click();
  const hash = await page.evaluate(() => location.hash.slice(1));
  if (hash !== target) throw new Error(`line link went to ${hash}, not ${target}`);
  const visible = await page.locator(`[id="${target}"]`).isVisible();
  if (!visible) throw new Error(`line ${target} is not shown`);
}
await page.evaluate(() => { location.hash = ''; window.scrollTo(0, 0); });
await page.screenshot({ path: shot, fullPage: false });
await page.setViewportSize({ width: 390, height: 844 });
await page.screenshot({ path: shot.replace(/\.png$/, '-phone.png'), fullPage: false });
if (errors.length) throw new Error('console errors: ' + errors.join('\n'));
if (requests.length) throw new Error('the review made network requests: ' + requests.join(', '));
console.log(`review: ${refs} references (${groups.map((g) => `${g} ${counts[g]}`).join(', ')}), line links land, no script, no network; screenshot ${shot}`);
await browser.close();
