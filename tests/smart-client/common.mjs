// Shared by the SMART client scripts: argument parsing, a tiny static/route server on 127.0.0.1, failure exit.

import http from "node:http";

/** Parses `--name value` pairs; every name in `required` must be present. */
export function parseArgs(argv, required) {
    const args = {};
    for (let i = 0; i < argv.length; i += 2) {
        if (!argv[i].startsWith("--") || argv[i + 1] === undefined) {
            fail(`bad arguments near "${argv[i]}"; expected --name value pairs`);
        }
        args[argv[i].slice(2)] = argv[i + 1];
    }
    for (const name of required) {
        if (!args[name]) {
            fail(`missing --${name}`);
        }
    }
    return args;
}

/** Starts an HTTP server on 127.0.0.1:port whose handler is `route(req, res)`; resolves when listening. */
export function listen(port, route) {
    const server = http.createServer((req, res) => {
        Promise.resolve(route(req, res)).catch(error => {
            console.error("handler error:", error);
            if (!res.headersSent) {
                res.writeHead(500, { "content-type": "text/plain" });
            }
            res.end(String(error?.stack ?? error));
        });
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(Number(port), "127.0.0.1", () => resolve(server));
    });
}

/** Prints the message and exits with 1 (the C# test reads stderr and the exit code). */
export function fail(message) {
    console.error("FAIL: " + message);
    process.exit(1);
}

/** Fails unless `condition` holds. */
export function check(condition, message) {
    if (!condition) {
        fail(message);
    }
}

/** Ends the process with failure if it runs longer than `ms` (the C# test has its own deadline too). */
export function deadline(ms) {
    setTimeout(() => fail(`timed out after ${ms} ms`), ms).unref();
}
