// Opens the local service's dashboard in Debian's headless chromium (playwright-core, no downloaded browser), checks
// what it renders, optionally completes a waiting callback through its form, and takes a screenshot.
//
//   node dashboard.mjs <service url> <execution arn> <screenshot.png> [callback id]
//
// Prints one JSON line: {"rows":[...executions table...],"events":[...history event types...],"callback":{...}}.
// Exit code 1 (with the error on stderr) when the page doesn't render what is expected in time.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, arn, screenshot, callbackId] = process.argv.slice(2);
if (!url || !arn || !screenshot) {
  console.error("usage: node dashboard.mjs <service url> <execution arn> <screenshot.png> [callback id]");
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "durablegen-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 900 },
});
const result = {};
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", error => pageErrors.push(String(error)));
  await page.goto(url, { waitUntil: "load" });

  // The executions list shows the execution; clicking its row selects it and renders its history.
  const row = page.locator(`#executions tbody tr[data-arn="${arn}"]`);
  await row.waitFor({ timeout: 15000 });
  result.rows = await page.$$eval("#executions tbody tr", rows => rows.map(r => ({
    arn: r.dataset.arn, cells: [...r.cells].map(c => c.textContent),
  })));
  await row.click();
  await page.locator("#history tbody tr.event").first().waitFor({ timeout: 15000 });
  result.summary = await page.textContent("#summary");
  result.events = await page.$$eval("#history tbody tr.event", rows => rows.map(r => r.cells[2].textContent));

  if (callbackId) {
    // The pending callback is offered in the form; send success with the form's result text.
    await page.waitForFunction(id => [...document.querySelectorAll("#pending-callbacks option")].some(o => o.value === id),
      callbackId, { timeout: 15000 });
    await page.selectOption("#pending-callbacks", callbackId);
    await page.fill("#callback-id", callbackId);
    await page.fill("#callback-result", "{\"approved\":true,\"approver\":\"chromium\"}");
    await page.click("#send-success");
    await page.waitForFunction(() => /succeed: /.test(document.getElementById("message").textContent), null, { timeout: 15000 });
    await page.waitForFunction(() => [...document.querySelectorAll("#history tbody tr.event")]
      .some(r => r.cells[2].textContent === "CallbackSucceeded"), null, { timeout: 15000 });
    result.callback = { message: await page.textContent("#message") };
    result.events = await page.$$eval("#history tbody tr.event", rows => rows.map(r => r.cells[2].textContent));
  }

  // The whole page unless it is long: a full-page shot of a thousand-row history can outlast the timeout on a busy
  // machine, and what the test asserts is read from the DOM above, not from the picture.
  await page.screenshot({ path: screenshot, fullPage: result.events.length <= 200, timeout: 60000 });
  result.pageErrors = pageErrors;
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(String(error && error.stack || error));
  console.error("partial: " + JSON.stringify(result));
  process.exitCode = 1;
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
