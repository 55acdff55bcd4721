// The SMART standalone patient launch in headless Chromium: fhirclient's browser bundle in a static app page.
//
//   node browser.mjs --fhir http://127.0.0.1:5000/fhir --client app --redirect http://127.0.0.1:5001/callback.html \
//                    --user resident --password secret --patient p-1 --name "Wang Fang" [--chromium /usr/bin/chromium]
//
// The app (app/launch.html, app/callback.html and fhirclient's build/fhir-client.js) is served on the redirect URI's
// origin. Chromium opens launch.html, fhirclient redirects to openhip's sign-in page, the script types the user name
// and password and presses "Sign in and allow", openhip redirects to callback.html, where FHIR.oauth2.ready() exchanges
// the code and reads the Patient; the script asserts the id and name shown. Prints one JSON line; non-zero on failure.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { parseArgs, listen, fail, check, deadline } from "./common.mjs";

const args = parseArgs(process.argv.slice(2), ["fhir", "client", "redirect", "user", "password", "patient", "name"]);
deadline(Number(args.timeout ?? 90000));
const scope = args.scope ?? "launch/patient openid fhirUser patient/Patient.rs";
const redirect = new URL(args.redirect);
const here = path.dirname(fileURLToPath(import.meta.url));
const files = {
    "/launch.html": [path.join(here, "app/launch.html"), "text/html; charset=utf-8"],
    "/callback.html": [path.join(here, "app/callback.html"), "text/html; charset=utf-8"],
    "/fhir-client.js": [path.join(here, "node_modules/fhirclient/build/fhir-client.js"), "text/javascript; charset=utf-8"],
};

const server = await listen(redirect.port, async (req, res) => {
    const file = files[new URL(req.url, redirect.origin).pathname];
    if (!file) {
        res.writeHead(404).end();
        return;
    }
    res.writeHead(200, { "content-type": file[1], "cache-control": "no-store" });
    res.end(await readFile(file[0]));
});

// Playwright starts Chromium with a fresh temporary profile of its own (no --user-data-dir here).
const browser = await chromium.launch({
    executablePath: args.chromium ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
});

let exitCode = 0;
const log = [];
try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("console", message => log.push(`console.${message.type()}: ${message.text()}`));
    page.on("pageerror", error => log.push(`pageerror: ${error}`));
    page.on("requestfailed", request => log.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));

    const launch = new URL("/launch.html", redirect.origin);
    launch.search = new URLSearchParams({ iss: args.fhir, clientId: args.client, scope }).toString();
    await page.goto(launch.href);

    // fhirclient redirects to openhip's sign-in form.
    const authorize = new URL("/auth/authorize", new URL(args.fhir).origin).href;
    await page.waitForURL(url => url.href.startsWith(authorize), { timeout: 20000 });
    const signInUrl = new URL(page.url());
    check(signInUrl.searchParams.get("code_challenge_method") === "S256", `no S256 challenge in ${signInUrl}`);
    await page.fill('input[name="username"]', args.user);
    await page.fill('input[name="password"]', args.password);
    await page.click('button[name="decision"][value="allow"]');

    // Back at the app: fhirclient exchanges the code and reads the Patient.
    await page.waitForURL(url => url.href.startsWith(args.redirect), { timeout: 20000 });
    await page.waitForSelector("body[data-done], body[data-error]", { timeout: 20000 });
    const shown = {
        url: page.url().replace(/code=[^&]+/, "code=…"),
        id: await page.textContent("#patient-id"),
        name: await page.textContent("#patient-name"),
        fhirUser: await page.textContent("#fhir-user"),
        error: await page.getAttribute("body", "data-error"),
    };
    check(!shown.error, `the app failed: ${shown.error}`);
    check(shown.id === args.patient, `page shows patient ${shown.id}, expected ${args.patient}`);
    check(shown.name === args.name, `page shows name "${shown.name}", expected "${args.name}"`);
    console.log(JSON.stringify(shown));
} catch (error) {
    console.error(log.join("\n"));
    console.error("FAIL: " + (error?.stack ?? error));
    exitCode = 1;
} finally {
    await browser.close();
    server.close();
}
process.exit(exitCode);
