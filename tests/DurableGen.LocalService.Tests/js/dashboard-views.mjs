// Drives the dashboard's views in Debian's headless chromium (playwright-core, no downloaded browser) and prints one
// JSON line of what it saw; the xunit tests (DashboardTimelineTests.cs) judge it against the engine's records.
//
//   node dashboard-views.mjs live <url> <arn> <shots dir> <checkpoint token> <updates json> <new operation id>
//     opens the execution's deep link, sends the checkpoint itself (so the clock starts at the request), and measures
//     how long the page takes to show the new operation's bar without a reload; prints the checkpoint's new token.
//   node dashboard-views.mjs finished <url> <arn> <shots dir> <operation id>
//     opens the deep link to one operation, reads the timeline and the operation's detail, reloads, reads them again,
//     then shows the list (filtered by status and by search), starts an execution from the form and stops it.
//   node dashboard-views.mjs callbacks <url> <callback id> <shots dir> <result json>
//     completes the callback from "Waiting on people", first with invalid JSON (refused by the page), then valid.
//   node dashboard-views.mjs trace <url> <arn> <shots dir> <span count> <span id> <OTLP/JSON body> <new span id>
//     opens the execution, waits for the waterfall's rows, reads them, selects the span by click and its next row by
//     keyboard, saves dashboard-trace.png, then posts the OTLP/JSON body itself and measures how long the page takes
//     to show the new span without a reload.
//
// Exit code 1 (with the error on stderr) when the page doesn't show what is expected in time.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [mode, url, key, shots, ...rest] = process.argv.slice(2);
if (!mode || !url || !key || !shots) {
  console.error("usage: node dashboard-views.mjs live|finished|callbacks <url> <arn|callback id> <shots dir> ...");
  process.exit(2);
}

const base = url.replace(/\/$/, "");
const executionLink = (arn, op) => `${base}/#/executions/${encodeURIComponent(arn)}` + (op ? `/operations/${encodeURIComponent(op)}` : "");

const readTimeline = page => page.evaluate(() => ({
  rows: [...document.querySelectorAll("#timeline .op-row")].map(r => ({
    id: r.dataset.op, parent: r.dataset.parent, depth: Number(r.dataset.depth), status: r.dataset.status,
    statusText: r.querySelector(".op-status").textContent, selected: r.getAttribute("aria-selected") === "true",
    bars: r.querySelectorAll(".bar").length,
    attempts: [...r.querySelectorAll(".attempt")].map(a => a.className.replace("attempt ", "")),
    delays: r.querySelectorAll(".delay").length,
  })),
  bands: [...document.querySelectorAll("#timeline .band")].map(b => b.dataset.invocation),
  breaks: document.querySelectorAll("#timeline .break").length,
}));

const readDetail = page => page.evaluate(() => ({
  title: document.getElementById("op-title")?.textContent ?? null,
  attempts: [...document.querySelectorAll("#op-attempts li")].map(li => li.textContent),
  result: document.getElementById("op-result")?.textContent ?? null,
  error: document.getElementById("op-error")?.textContent ?? null,
  events: [...document.querySelectorAll("#op-events tbody tr")].map(r => r.cells[2].textContent),
}));

const profile = mkdtempSync(join(tmpdir(), "durablegen-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  viewport: { width: 1400, height: 900 },
});
const result = {};
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", error => pageErrors.push(String(error)));
  page.on("dialog", dialog => dialog.accept());

  if (mode === "live") {
    const [token, updates, newId] = rest;
    await page.goto(executionLink(key), { waitUntil: "load" });
    await page.locator("#timeline .op-row").first().waitFor({ timeout: 15000 });
    await page.waitForFunction(() => document.getElementById("live").textContent === "live", null, { timeout: 15000 });
    result.before = await readTimeline(page);
    const started = Date.now();
    const response = await fetch(`${base}/2025-12-01/durable-executions/${encodeURIComponent(key)}/checkpoint`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ CheckpointToken: token, Updates: JSON.parse(updates) }),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error("checkpoint refused: " + JSON.stringify(answer));
    result.token = answer.CheckpointToken;
    await page.locator(`#timeline .op-row[data-op="${newId}"] .bar`).waitFor({ timeout: 10000 });
    result.appearedMs = Date.now() - started;
    result.after = await readTimeline(page);
    await page.screenshot({ path: join(shots, "dashboard-running.png"), fullPage: true, timeout: 60000 });
  } else if (mode === "finished") {
    const [op] = rest;
    await page.goto(executionLink(key, op), { waitUntil: "load" });
    await page.locator("#op-title").waitFor({ timeout: 15000 });
    result.timeline = await readTimeline(page);
    result.detail = await readDetail(page);
    await page.screenshot({ path: join(shots, "dashboard-finished.png"), fullPage: true, timeout: 60000 });

    await page.reload({ waitUntil: "load" });
    await page.locator("#op-title").waitFor({ timeout: 15000 });
    result.reloadedUrl = page.url();
    result.reloaded = { timeline: await readTimeline(page), detail: await readDetail(page) };

    // Keyboard: the selected row holds the tab stop; ArrowUp then Enter selects the row above.
    await page.focus(`#timeline .op-row[data-op="${op}"]`);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    result.keyboardSelected = await page.evaluate(() => document.querySelector('#timeline .op-row[aria-selected="true"]')?.dataset.op ?? null);
    result.keyboardUrl = page.url();

    await page.goto(`${base}/#/?status=SUCCEEDED`, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelectorAll("#executions tbody tr.execution").length > 0
      && document.querySelector('#status-counts button[aria-pressed="true"]')?.dataset.status === "SUCCEEDED", null, { timeout: 15000 });
    const readList = () => page.evaluate(() => ({
      rows: [...document.querySelectorAll("#executions tbody tr.execution")].map(r => ({ arn: r.dataset.arn, status: r.cells[2].textContent })),
      counts: Object.fromEntries([...document.querySelectorAll("#status-counts button")].map(b => [b.dataset.status, b.textContent])),
      pageInfo: document.getElementById("page-info").textContent,
    }));
    result.succeededList = await readList();
    await page.goto(`${base}/#/`, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelectorAll("#executions tbody tr.execution").length > 1, null, { timeout: 15000 });
    await page.screenshot({ path: join(shots, "dashboard-list.png"), fullPage: true, timeout: 60000 });
    await page.fill("#filter-search", "retry-and-par");
    await page.waitForFunction(() => location.hash.includes("q=retry-and-par")
      && document.querySelectorAll("#executions tbody tr.execution").length === 1, null, { timeout: 15000 });
    result.searchedList = await readList();
    result.searchUrl = page.url();

    // Start an execution from the form (it opens the new execution), then stop it from its page.
    await page.click("#start-panel summary");
    await page.selectOption("#start-function", "order-flow");
    await page.fill("#start-name", "from-the-form");
    await page.fill("#start-input", "{\"orderId\":\"form-1\"}");
    await page.click("#start-execution");
    await page.waitForFunction(() => /from-the-form/.test(document.getElementById("summary").textContent)
      && !document.getElementById("stop-execution").hidden, null, { timeout: 15000 });
    result.startedUrl = page.url();
    await page.click("#stop-execution");
    await page.waitForFunction(() => /status STOPPED/.test(document.getElementById("summary").textContent), null, { timeout: 15000 });
    result.stopped = await page.textContent("#summary");
  } else if (mode === "callbacks") {
    const [json] = rest;
    await page.goto(`${base}/#/callbacks`, { waitUntil: "load" });
    const row = page.locator(`#callbacks tr.pending-callback[data-callback-id="${key}"]`);
    await row.waitFor({ timeout: 15000 });
    await page.waitForFunction(() => [...document.querySelectorAll(".countdown")].every(s => /\d/.test(s.textContent)), null, { timeout: 5000 });
    result.countdowns = await row.locator(".countdown").allTextContents();
    // The page ticks once a second; on a loaded machine a fixed 1.1 s wait could read the same second twice. Wait (up
    // to 10 s) for the text to move, and read what it moved to: the test asserts the two differ.
    const first = result.countdowns.join("|");
    await page.waitForFunction(({ id, before }) =>
      [...document.querySelectorAll(`#callbacks tr.pending-callback[data-callback-id="${id}"] .countdown`)]
        .map(s => s.textContent).join("|") !== before, { id: key, before: first }, { timeout: 10000 }).catch(() => {});
    result.countdownsLater = await row.locator(".countdown").allTextContents();
    await row.locator("button.complete").click();
    await page.fill("#complete-result", "{\"approved\": tru");
    await page.click("#complete-succeed");
    await page.waitForFunction(() => /Not valid JSON/.test(document.getElementById("complete-message").textContent), null, { timeout: 5000 });
    result.invalid = await page.textContent("#complete-message");
    result.invalidMarked = await page.getAttribute("#complete-result", "aria-invalid");
    await page.screenshot({ path: join(shots, "dashboard-callbacks.png"), fullPage: true, timeout: 60000 });
    await page.fill("#complete-result", json);
    await page.click("#complete-succeed");
    await page.waitForFunction(() => /succeed: /.test(document.getElementById("complete-message").textContent), null, { timeout: 15000 });
    result.sent = await page.textContent("#complete-message");
    await page.waitForFunction(id => !document.querySelector(`#callbacks tr.pending-callback[data-callback-id="${id}"]`), key, { timeout: 15000 });
    result.rowsAfter = await page.locator("#callbacks tr.pending-callback").count();
  } else if (mode === "trace") {
    const [count, spanId, body, newSpanId] = rest;
    const readWaterfall = () => page.evaluate(() => [...document.querySelectorAll("#waterfall .span-row")].map(r => ({
      span: r.dataset.spanId, parent: r.dataset.parent, depth: Number(r.dataset.depth), status: r.dataset.status,
      name: r.querySelector(".span-label span").textContent, duration: r.querySelector(".span-duration").textContent,
      left: parseFloat(r.querySelector(".span-bar").style.left), width: parseFloat(r.querySelector(".span-bar").style.width),
    })));
    await page.goto(executionLink(key), { waitUntil: "load" });
    await page.waitForFunction(n => document.querySelectorAll("#waterfall .span-row").length >= n, Number(count), { timeout: 15000 });
    await page.waitForFunction(() => document.getElementById("live").textContent === "live", null, { timeout: 15000 });
    result.rows = await readWaterfall();
    result.summary = await page.textContent("#trace-summary");
    await page.click(`#waterfall .span-row[data-span-id="${spanId}"]`);
    await page.locator("#span-title").waitFor({ timeout: 5000 });
    result.detail = await page.evaluate(() => ({
      title: document.getElementById("span-title").textContent,
      attributes: Object.fromEntries([...document.querySelectorAll("#span-attributes tbody tr")].map(r => [r.cells[0].textContent, r.cells[1].textContent])),
      selected: document.querySelector('#waterfall .span-row[aria-selected="true"]')?.dataset.spanId ?? null,
    }));
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    result.keyboardSelected = await page.evaluate(() => document.querySelector('#waterfall .span-row[aria-selected="true"]')?.dataset.spanId ?? null);
    result.keyboardTitle = await page.textContent("#span-title");
    await page.locator("#trace-title").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "dashboard-trace.png"), fullPage: true, timeout: 60000 });

    const started = Date.now();
    const response = await fetch(`${base}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    if (!response.ok) throw new Error("export refused: " + response.status + " " + await response.text());
    await page.locator(`#waterfall .span-row[data-span-id="${newSpanId}"]`).waitFor({ timeout: 10000 });
    result.appearedMs = Date.now() - started;
    result.after = await readWaterfall();
  } else {
    throw new Error("unknown mode " + mode);
  }

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
