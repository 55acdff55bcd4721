// The SMART standalone patient launch with fhirclient's Node API (a public client, PKCE S256) against openhip.
//
//   node node.mjs --fhir http://127.0.0.1:5000/fhir --client app --redirect http://127.0.0.1:5001/callback \
//                 --user resident --password secret --patient p-1
//
// A tiny HTTP server on the redirect URI's port plays the app: /launch calls fhirclient's authorize() (discovery,
// PKCE, the redirect to /auth/authorize), /callback calls ready() (the code exchange) and then reads the Patient.
// The user's part (the sign-in form) is driven with fetch: the form's hidden fields plus user name, password and
// "allow" are posted back without cookies, as a browser would. Prints one JSON line; exits non-zero on any failure.

import smart from "fhirclient";
import { parseArgs, listen, fail, check, deadline } from "./common.mjs";

const args = parseArgs(process.argv.slice(2), ["fhir", "client", "redirect", "user", "password", "patient"]);
deadline(Number(args.timeout ?? 60000));
const scope = args.scope ?? "launch/patient openid fhirUser patient/Patient.rs";
const redirect = new URL(args.redirect);
const origin = redirect.origin;

// fhirclient keeps the launch state in a server-side store (sessions in a real app); one flow needs one map.
const store = new Map();
const storage = {
    get: async key => store.get(key),
    set: async (key, value) => { store.set(key, value); return value; },
    unset: async key => store.delete(key),
};

let result;
const server = await listen(redirect.port, async (req, res) => {
    const path = new URL(req.url, origin).pathname;
    if (path === "/launch") {
        // authorize() answers with a 302 to the server's authorize endpoint.
        await smart(req, res, storage).authorize({
            iss: args.fhir,
            clientId: args.client,
            scope,
            redirectUri: args.redirect,
            pkceMode: "required",
        });
        return;
    }

    if (path === redirect.pathname) {
        const client = await smart(req, res, storage).ready();
        const byRequest = await client.request(`Patient/${encodeURIComponent(args.patient)}`);
        const byContext = await client.patient.read();
        result = {
            patientContext: client.patient.id,
            fhirUser: client.getFhirUser(),
            scope: client.state.tokenResponse.scope,
            tokenType: client.state.tokenResponse.token_type,
            hasRefreshToken: Boolean(client.state.tokenResponse.refresh_token),
            request: { id: byRequest.id, resourceType: byRequest.resourceType, name: byRequest.name },
            patientRead: { id: byContext.id, name: byContext.name },
        };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(result));
        return;
    }

    res.writeHead(404).end();
});

try {
    // 1. The app's launch: fhirclient discovers the endpoints and redirects to /auth/authorize with PKCE S256.
    const launch = await fetch(`${origin}/launch`, { redirect: "manual" });
    check(launch.status === 302, `launch answered ${launch.status}: ${await launch.text()}`);
    const authorizeUrl = new URL(launch.headers.get("location"));
    check(authorizeUrl.searchParams.get("code_challenge_method") === "S256", `no S256 challenge in ${authorizeUrl}`);
    check(authorizeUrl.searchParams.get("code_challenge"), `no code_challenge in ${authorizeUrl}`);

    // 2. The sign-in page.
    const page = await fetch(authorizeUrl, { redirect: "manual" });
    const html = await page.text();
    check(page.status === 200 && html.includes("<form"), `authorize page answered ${page.status}: ${html.slice(0, 500)}`);

    // 3. The user signs in and allows: the form posts back to the same URL (it has no action attribute).
    const form = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
        form.append(decodeEntities(name), decodeEntities(value));
    }
    check(form.get("state"), `no hidden state field in the form: ${html.slice(0, 500)}`);
    form.append("username", args.user);
    form.append("password", args.password);
    form.append("decision", "allow");
    const signIn = await fetch(authorizeUrl, { method: "POST", body: form, redirect: "manual" });
    check(signIn.status === 302, `sign-in answered ${signIn.status}: ${(await signIn.text()).slice(0, 500)}`);
    const back = new URL(signIn.headers.get("location"));
    check(back.origin + back.pathname === args.redirect, `redirected to ${back}, not to ${args.redirect}`);
    check(back.searchParams.get("code"), `no code in ${back}`);

    // 4. Back at the app: fhirclient exchanges the code (with the verifier) and the app reads the Patient.
    const done = await fetch(back, { redirect: "manual" });
    const text = await done.text();
    check(done.status === 200 && result, `callback answered ${done.status}: ${text.slice(0, 1000)}`);
    check(result.request.id === args.patient && result.patientRead.id === args.patient, `read another patient: ${text}`);
    check(result.patientContext === args.patient, `token's patient context is ${result.patientContext}`);
    console.log(JSON.stringify(result));
} catch (error) {
    fail(String(error?.stack ?? error));
} finally {
    server.close();
}

function decodeEntities(text) {
    return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" })[e]);
}
