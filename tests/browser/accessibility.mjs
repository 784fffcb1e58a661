// The public portal's accessibility in a real browser (Debian's Chromium
// driven by playwright-core), run by crates/scrutiny-cli/tests/browser.rs
// against `scrutiny serve` on the demo store:
//  - every public page reachable by links from / and /public is checked by
//    axe-core against WCAG 2.0, 2.1 and 2.2 A and AA, at desktop width and
//    at a phone's (390 × 844), and must have no violation;
//  - at the phone's width no page scrolls sideways as a whole (wide tables
//    scroll inside their own box);
//  - keyboard only: the first Tab reaches "Skip to the content", which moves
//    focus to the main content; Tab reaches every link of the main content,
//    each showing a visible focus outline; Enter on a priority's link opens it.
//
// Reads: SCRUTINY_URL, CHROMIUM. Prints one JSON object with the pages
// checked; any failed expectation throws and the process exits non-zero.

import { createRequire } from "node:module";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = require.resolve("axe-core/axe.min.js");
const base = process.env.SCRUTINY_URL;
const executablePath = process.env.CHROMIUM;
if (!base || !executablePath) throw new Error("SCRUTINY_URL and CHROMIUM must be set");

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const PAGE_LIMIT = 200;

function expect(condition, message) {
  if (!condition) throw new Error(`expected: ${message}`);
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  async function violations(page, path) {
    const response = await page.goto(base + path);
    expect(response.ok(), `${path} answers 200, not ${response.status()}`);
    await page.addScriptTag({ path: axeSource });
    const result = await page.evaluate(
      async (tags) => await window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
      WCAG,
    );
    return result.violations.map(
      (violation) =>
        `${path}: ${violation.id} (${violation.impact}) — ${violation.help}; ${violation.nodes.length} element(s), e.g. ${violation.nodes[0].html.slice(0, 160)}`,
    );
  }

  // Every public page, by following links.
  const seen = new Set();
  const queue = ["/", "/public"];
  const pages = [];
  const found = [];
  while (queue.length > 0) {
    const path = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    expect(seen.size <= PAGE_LIMIT, `fewer than ${PAGE_LIMIT} public pages (a link loop?)`);
    const response = await desktop.goto(base + path);
    expect(response.ok(), `${path} answers 200, not ${response.status()}`);
    if (!(response.headers()["content-type"] || "").includes("text/html")) continue;
    pages.push(path);
    found.push(...(await violations(desktop, path)));
    found.push(...(await violations(phone, path)));
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `${path} does not scroll sideways at 390 px (it is ${overflow} px too wide)`);
    const links = await desktop.$$eval("a[href]", (anchors) => anchors.map((anchor) => anchor.getAttribute("href")));
    for (const link of links) {
      if (link.startsWith("/public") && !/\.(csv|json|atom|pdf|docx)$/.test(link.split("?")[0])) queue.push(link);
    }
  }
  expect(found.length === 0, `no WCAG 2.2 AA violations, but axe-core found:\n${found.join("\n")}`);
  expect(pages.some((path) => path.startsWith("/public/priorities/")), "the priority pages were reached");
  expect(pages.some((path) => path.startsWith("/public/decisions/")), "a decision record was reached");

  // Keyboard only.
  const keys = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await keys.goto(`${base}/public`);
  await keys.keyboard.press("Tab");
  const first = await keys.evaluate(() => document.activeElement.textContent.trim());
  expect(first === "Skip to the content", `the first Tab reaches "Skip to the content", not "${first}"`);
  await keys.keyboard.press("Enter");
  await keys.keyboard.press("Tab");
  const inMain = await keys.evaluate(() => Boolean(document.activeElement.closest("main")));
  expect(inMain, "after skipping, the next Tab is inside the main content");
  const mainLinks = await keys.$$eval("main a[href]", (anchors) => anchors.map((anchor) => anchor.getAttribute("href")));
  const reached = new Set();
  for (let press = 0; press < mainLinks.length * 3 + 50 && reached.size < mainLinks.length; press++) {
    const focused = await keys.evaluate(() => {
      const element = document.activeElement;
      const style = getComputedStyle(element);
      return {
        href: element.getAttribute("href"),
        inMain: Boolean(element.closest("main")),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
      };
    });
    if (focused.inMain && focused.href) {
      expect(focused.outline, `the focused link ${focused.href} shows a focus outline of at least 2 px`);
      reached.add(focused.href);
    }
    await keys.keyboard.press("Tab");
  }
  const unreached = mainLinks.filter((href) => !reached.has(href));
  expect(unreached.length === 0, `Tab reaches every link of /public's content; not: ${unreached.join(", ")}`);
  await keys.goto(`${base}/public`);
  const priority = keys.locator("main a[href^='/public/priorities/']").first();
  const target = await priority.getAttribute("href");
  await priority.focus();
  await Promise.all([keys.waitForURL(`${base}${target}`), keys.keyboard.press("Enter")]);

  console.log(JSON.stringify({ pages, wcag: WCAG, keyboard: { links: reached.size } }));
} finally {
  await browser.close();
}
