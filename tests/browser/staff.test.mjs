// The staff pages in a real browser: Debian's chromium driven by playwright-core, against a
// real frontdesk process whose calls are placed through signed Twilio webhooks.
// Run with `npm test` after `cargo build` (FRONTDESK_BIN overrides the binary's path).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { chromium } from "playwright-core";

const BIN = process.env.FRONTDESK_BIN ?? "target/debug/frontdesk";
const TOKEN = "browser-test-token";
const SHOTS = "target/browser";
const STAFF = ["diane", "a long enough password"];

let server, base, env, browser, page;

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

async function waitFor(check, what, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {}
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Twilio's signature: HMAC-SHA1 over the URL and the sorted form fields.
function sign(url, params) {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac("sha1", TOKEN).update(data).digest("base64");
}

async function twilio(path, params) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sign(base + path, params) },
    body: new URLSearchParams(params),
  });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.text();
}

let calls = 0;
/** Places a call that says each line in turn; returns its CallSid. */
async function call(from, lines, { hangUp = true } = {}) {
  const sid = `CA${String(++calls).padStart(32, "0")}`;
  const line = { CallSid: sid, From: from, To: "+17185550100", CallStatus: "in-progress", Direction: "inbound" };
  let twiml = await twilio("/twilio/voice", line);
  for (const said of lines) {
    const action = twiml.match(/action="([^"]+)"/)[1].replaceAll("&amp;", "&");
    twiml = await twilio(action, { ...line, SpeechResult: said, Confidence: "0.93" });
  }
  if (hangUp) await twilio("/twilio/status", { ...line, CallStatus: "completed", CallDuration: "61" });
  return sid;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "frontdesk-browser-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    PATH: process.env.PATH,
    PORT: String(port),
    DATABASE_URL: `sqlite://${join(dir, "frontdesk.db")}`,
    TWILIO_AUTH_TOKEN: TOKEN,
    PUBLIC_URL: base,
    ROCKET_ADDRESS: "127.0.0.1",
  };
  execFileSync(BIN, ["staff", "add", STAFF[0]], { env, input: `${STAFF[1]}\n` });
  server = spawn(BIN, [], { env, stdio: "ignore" });
  await waitFor(async () => (await fetch(`${base}/ready`)).ok, "frontdesk to be ready");
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })).newPage();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test("staff log in and see the dashboard update by itself", async () => {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login/);
  await page.fill("#name", STAFF[0]);
  await page.fill("#password", STAFF[1]);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
  await waitFor(async () => (await page.textContent("#in-progress")) === "0", "the first refresh");

  await call("+17185550101", ["what are your hours"], { hangUp: false });

  await waitFor(async () => (await page.textContent("#in-progress")) === "1", "the dashboard to show the new call", 12000);
  assert.equal(await page.textContent("#db-engine"), "SQLite");
  // The write-ahead log's size against its bound; a degraded log would say what is wrong.
  assert.match(await page.textContent("#db-log"), /^\d+\.\d of 16 MB$/);
  assert.equal(await page.textContent("#db-badge"), "ok");
  await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });
});

test("a transcript is found by a word the caller said", async () => {
  const bathtub = await call("+17185550102", ["my bathtub faucet is dripping", "bathroom", "yes", "yes", "yes"]);
  await call("+17185550103", ["where is your office"]);
  await page.goto(`${base}/calls`);
  await page.fill("#q", "bathtub");
  await page.click("#filters button[type=submit]");
  await page.waitForURL(/q=bathtub/);
  const rows = page.locator("#calls tbody tr");
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), /James Carter/);
  await page.screenshot({ path: `${SHOTS}/search.png`, fullPage: true });

  await rows.first().locator("a").click();
  await page.waitForURL(`${base}/calls/${bathtub}`);
  assert.match(await page.textContent("#transcript"), /my bathtub faucet is dripping/);
  await page.screenshot({ path: `${SHOTS}/call.png`, fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#transcript-csv")]);
  const csv = readFileSync(await download.path(), "utf8");
  assert.match(csv, /^turn,time,speaker,text,confidence,brain,latency_ms/);
  assert.match(csv, /caller,my bathtub faucet is dripping/);
});

test("emergencies are filtered and the filtered list exports as CSV", async () => {
  const gas = await call("+17185559876", ["I smell gas in the hallway"]);
  await page.goto(`${base}/calls`);
  await page.selectOption("#outcome", "emergency");
  await page.click("#filters button[type=submit]");
  await page.waitForURL(/outcome=emergency/);
  const rows = page.locator("#calls tbody tr");
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().locator("a").getAttribute("href"), new RegExp(gas));
  await page.screenshot({ path: `${SHOTS}/emergencies.png`, fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const lines = readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.equal(lines.length, 2);
  assert.match(lines[1], new RegExp(`^${gas},.*,emergency,`));
});

test("staff take a follow-up from the queue, mark it done, and it leaves the open list", async () => {
  // The caller hangs up before confirming their request: a follow-up for staff.
  const sid = await call("+17185550103", ["my kitchen sink is leaking"]);
  await page.goto(`${base}/`);
  await waitFor(async () => Number(await page.textContent("#follow-ups-open")) >= 1, "the dashboard's follow-up count");
  await page.click("#nav-follow-ups");
  await page.waitForURL(`${base}/follow-ups`);
  const row = page.locator("#follow-ups tbody tr", { hasText: "my kitchen sink is leaking" });
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /hung up mid-request/);
  assert.match(await row.locator("code.reference").textContent(), /^[1-9]\d{4}$/);
  assert.match(await row.locator(`a[href="/calls/${sid}"]`).textContent(), /transcript/);
  await page.screenshot({ path: `${SHOTS}/follow-ups.png`, fullPage: true });

  await row.locator("button.take").click();
  await page.waitForURL(/\/follow-ups/);
  assert.match(await row.textContent(), new RegExp(STAFF[0]));
  await row.locator("button.done").click();
  await page.waitForURL(/\/follow-ups/);
  assert.equal(await row.count(), 0, "done leaves the open list");

  await page.selectOption("#state", "done");
  await page.click("#follow-up-filters button[type=submit]");
  await page.waitForURL(/state=done/);
  const done = page.locator("#follow-ups tbody tr", { hasText: "my kitchen sink is leaking" });
  assert.equal(await done.count(), 1);
  await done.locator("td a").first().click();
  assert.match(await page.textContent("#history"), new RegExp(`taken by ${STAFF[0]}[\\s\\S]*done by ${STAFF[0]}`));
  await page.screenshot({ path: `${SHOTS}/follow-up.png`, fullPage: true });
});
