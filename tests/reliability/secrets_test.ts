/**
 * Secrets never show: passwords, secret keys and tokens given to an
 * operator do not appear in its errors (`message`, `String(err)`,
 * `Deno.inspect(err)`, `stack`), in `LoggingLayer` lines at debug level, or
 * in `op.info()` / `Deno.inspect(op)`.
 *
 * Each service gets distinctive fake secrets and an endpoint on a closed
 * 127.0.0.1 port, so every operation fails with OpenDAL's full error context
 * (which quotes request URLs). With `OPENDAL_TEST=<scheme>` and that
 * service's `OPENDAL_<SCHEME>_*` config in the environment, the same checks
 * run against the real server twice: with the real credentials (operations
 * succeed and fail normally) and with fake ones swapped in (authentication
 * fails).
 */

import assert from "node:assert/strict";
import { configFromEnv } from "../../src/env_config.ts";
import { OpendalError, Operator } from "../../mod.ts";
import { LoggingLayer } from "../../layers/logging.ts";
import { TimeoutLayer } from "../../layers/timeout.ts";
import { cli } from "../cli/run.ts";

/** A fake secret that cannot occur by chance in any output. */
function fake(label: string): string {
  return `${label}Zq${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

/** A 127.0.0.1 port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

/** Sets the password of URL `text` (`scheme://user:password@host/...`). */
function withUrlPassword(text: string, password: string): string {
  const url = new URL(text);
  if (!url.username) url.username = "user";
  url.password = password;
  return url.href;
}

const keyFile = await Deno.makeTempFile({ prefix: "opendal-fake-key-" });
const keySecret = fake("SFTPKEY");
globalThis.addEventListener("unload", () => Deno.removeSync(keyFile));
await Deno.writeTextFile(
  keyFile,
  `-----BEGIN OPENSSH PRIVATE KEY-----\n${keySecret}\n-----END OPENSSH PRIVATE KEY-----\n`,
);

/** A config with fake secrets put in, and the secrets to look for. */
interface Case {
  label: string;
  scheme: string;
  config: Record<string, string>;
  secrets: string[];
}

/**
 * `config` with every kind of credential the scheme takes replaced by fake
 * ones (several variants where the service takes credentials in different
 * places).
 */
function withFakeSecrets(
  scheme: string,
  config: Record<string, string>,
): Case[] {
  const cases: Case[] = [];
  const add = (
    label: string,
    extra: Record<string, string>,
    secrets: string[],
  ) => cases.push({ label, scheme, config: { ...config, ...extra }, secrets });
  switch (scheme) {
    case "s3": {
      const [secret, token, ssec] = [
        fake("S3SECRET"),
        fake("S3TOKEN"),
        fake("S3SSEC"),
      ];
      add("secret key, session token, SSE-C key", {
        access_key_id: config.access_key_id ?? "AKIDEXAMPLE",
        secret_access_key: secret,
        session_token: token,
        server_side_encryption_customer_algorithm: "AES256",
        server_side_encryption_customer_key: btoa(ssec),
      }, [secret, token, ssec, btoa(ssec)]);
      break;
    }
    case "azblob": {
      const key = fake("AZKEY");
      add("account key", {
        account_name: config.account_name ?? "acct",
        account_key: btoa(key),
      }, [
        key,
        btoa(key),
      ]);
      const sig = fake("AZSIG");
      const rest = Object.fromEntries(
        Object.entries(config).filter(([k]) =>
          k !== "account_key" && k !== "account_name"
        ),
      );
      cases.push({
        label: "SAS token",
        scheme,
        config: {
          ...rest,
          sas_token: `sv=2021-08-06&ss=b&srt=co&sp=rwdl&sig=${sig}`,
        },
        secrets: [sig],
      });
      break;
    }
    case "gcs": {
      const token = fake("GCSTOKEN");
      add("token", { token }, [token]);
      const pk = fake("GCSPK");
      const credential = btoa(JSON.stringify({
        type: "service_account",
        client_email: "svc@example.iam.gserviceaccount.com",
        private_key:
          `-----BEGIN PRIVATE KEY-----\n${pk}\n-----END PRIVATE KEY-----\n`,
      }));
      add("credential", { credential, skip_signature: "false" }, [
        pk,
        credential,
      ]);
      break;
    }
    case "redis": {
      const pw = fake("REDISPW");
      add("password option", { username: "user", password: pw }, [pw]);
      const inUrl = fake("REDISURL");
      add("password in the endpoint URL", {
        endpoint: withUrlPassword(
          config.endpoint.replace(/^tcp:/, "redis:"),
          inUrl,
        ),
      }, [inUrl]);
      break;
    }
    case "postgresql":
    case "mysql": {
      const pw = fake(`${scheme.toUpperCase()}PW`);
      add("password in the connection string", {
        connection_string: withUrlPassword(config.connection_string, pw),
      }, [pw]);
      break;
    }
    case "sftp":
      add("private key file", { key: keyFile, user: config.user ?? "user" }, [
        keySecret,
      ]);
      break;
    case "webdav": {
      const pw = fake("DAVPW");
      add("password", { username: "user", password: pw }, [pw]);
      const token = fake("DAVTOKEN");
      add("token", { token }, [token]);
      const inUrl = fake("DAVURL");
      add("password in the endpoint URL", {
        endpoint: withUrlPassword(config.endpoint, inUrl),
      }, [
        inUrl,
      ]);
      break;
    }
    case "memcached": {
      const pw = fake("MEMCPW");
      add("password", { username: "user", password: pw }, [pw]);
      break;
    }
    case "etcd": {
      const pw = fake("ETCDPW");
      add("password", { username: "user", password: pw }, [pw]);
      break;
    }
  }
  return cases;
}

/** Configs for every service, pointed at a closed port. */
function closedPortConfigs(): Record<string, Record<string, string>> {
  const port = closedPort();
  const http = `http://127.0.0.1:${port}`;
  return {
    s3: {
      bucket: "bucket",
      region: "us-east-1",
      endpoint: http,
      disable_config_load: "true",
    },
    azblob: { container: "container", endpoint: http },
    gcs: {
      bucket: "bucket",
      endpoint: http,
      disable_config_load: "true",
      disable_vm_metadata: "true",
    },
    redis: { endpoint: `redis://127.0.0.1:${port}` },
    postgresql: {
      connection_string: `postgresql://user@127.0.0.1:${port}/db`,
      table: "data",
    },
    mysql: {
      connection_string: `mysql://user@127.0.0.1:${port}/db`,
      table: "data",
    },
    sftp: {
      endpoint: `ssh://127.0.0.1:${port}`,
      known_hosts_strategy: "accept",
    },
    webdav: { endpoint: http },
    memcached: { endpoint: `tcp://127.0.0.1:${port}` },
    etcd: { endpoints: http },
  };
}

/** Everything the module shows about an operator and its failures. */
interface Shown {
  texts: string[];
  errors: number;
  logLines: number;
}

/** Runs a few operations and gathers every text they show. */
async function exercise(
  scheme: string,
  config: Record<string, string>,
): Promise<Shown> {
  const texts: string[] = [];
  let errors = 0;
  const show = (e: unknown) => {
    errors++;
    const err = e as Error;
    texts.push(err.message, String(err), Deno.inspect(err), err.stack ?? "");
    // The full detail OpenDAL reported, kept as the cause.
    if (err.cause instanceof Error) texts.push(err.cause.message);
  };
  let base: Operator;
  try {
    base = new Operator(scheme, config);
  } catch (e) {
    show(e);
    return { texts, errors, logLines: 0 };
  }
  const logs: string[] = [];
  using op = base
    .layer(
      new LoggingLayer({ level: "debug", sink: (r) => logs.push(r.message) }),
    )
    // Connection pools (postgresql, mysql, redis) retry a closed port for long.
    .layer(new TimeoutLayer({ timeout: 600, ioTimeout: 600 }));
  texts.push(Deno.inspect(base), Deno.inspect(op));
  await Promise.all([
    op.write("secrets/probe.txt", "probe").catch(show),
    op.readText("secrets/probe.txt").catch(show),
    op.stat("secrets/missing.txt").catch(show),
    op.list("secrets/")[Symbol.asyncIterator]().next().catch(show),
  ]);
  try {
    op.statSync("secrets/missing-sync.txt");
  } catch (e) {
    show(e);
  }
  await op.delete("secrets/probe.txt").catch(show);
  const info = base.info();
  texts.push(
    JSON.stringify(info),
    Deno.inspect(info),
    Deno.inspect(base),
    Deno.inspect(op),
  );
  texts.push(...logs);
  base.close();
  return { texts, errors, logLines: logs.length };
}

function assertNothingShows(
  label: string,
  shown: Shown,
  secrets: string[],
): void {
  for (const secret of secrets) {
    const leak = shown.texts.find((t) => t.includes(secret));
    assert.equal(leak, undefined, `${label}: a secret shows in:\n${leak}`);
  }
}

const schemes = Object.keys(closedPortConfigs());
const tested = (Deno.env.get("OPENDAL_TEST") ?? "").split(",").map((s) =>
  s.trim()
)
  .filter((s) => schemes.includes(s));
/**
 * The closed-port checks need no server: `deno task test` runs them once, and
 * a services run (`OPENDAL_TEST` names its server) runs that server's checks.
 */
const offline = { ignore: Deno.env.has("OPENDAL_TEST") };

Deno.test({
  name:
    "secrets never show in errors, logs or info (services on a closed port)",
  ...offline,
}, async () => {
  const configs = closedPortConfigs();
  const cases = schemes.flatMap((s) => withFakeSecrets(s, configs[s]));
  const results = await Promise.all(
    cases.map(async (c) => ({ c, shown: await exercise(c.scheme, c.config) })),
  );
  for (const { c, shown } of results) {
    const label = `${c.scheme} (${c.label})`;
    // Every case must really fail: a quiet success would check nothing.
    assert.ok(shown.errors >= 5, `${label}: only ${shown.errors} errors`);
    assert.ok(shown.logLines > 0, `${label}: no log lines`);
    assertNothingShows(label, shown, c.secrets);
  }
});

Deno.test({
  name: "secrets in a config the service rejects at construction never show",
  ...offline,
}, async () => {
  const port = closedPort();
  const cases: Case[] = [
    ["postgresql", (pw: string) => ({
      connection_string: `postgresql://user:${pw}@127.0.0.1:notaport/db`,
      table: "t",
    })],
    ["mysql", (pw: string) => ({
      connection_string: `mysql://user:${pw}@127.0.0.1:notaport/db`,
      table: "t",
    })],
    [
      "redis",
      (pw: string) => ({ endpoint: `bogus://user:${pw}@127.0.0.1:${port}` }),
    ],
    ["azblob", (pw: string) => ({
      container: "c",
      endpoint: `http://127.0.0.1:${port}`,
      account_name: "acct",
      account_key: `!not-base64-${pw}`,
    })],
    ["gcs", (pw: string) => ({ bucket: "b", credential: `!not-base64-${pw}` })],
  ].map(([scheme, make]) => {
    const secret = fake("BAD");
    return {
      label: "bad config",
      scheme: scheme as string,
      config: (make as (pw: string) => Record<string, string>)(secret),
      secrets: [secret],
    };
  });
  for (const c of cases) {
    const shown = await exercise(c.scheme, c.config);
    assert.ok(shown.errors >= 1, `${c.scheme}: no error`);
    assertNothingShows(`${c.scheme} (bad config)`, shown, c.secrets);
  }
});

Deno.test({
  name: "a URL password or signature in an error is masked, the rest kept",
  ...offline,
}, async () => {
  const sig = fake("SIG");
  using op = new Operator("azblob", {
    container: "c",
    endpoint: `http://127.0.0.1:${closedPort()}`,
    sas_token: `sv=2021-08-06&sig=${sig}&sp=r`,
  });
  const err = await op.stat("a.txt").then(() => undefined, (e) => e);
  assert.ok(err instanceof OpendalError);
  // The short message names the host; the detail keeps the masked URL.
  assert.match(err.message, /^connection refused \(127\.0\.0\.1:\d+\)/);
  const detail = (err.cause as Error).message;
  assert.match(detail, /sv=2021-08-06&sig=\*\*\*&sp=r/);
  assert.ok(!detail.includes(sig) && !err.message.includes(sig));
});

/**
 * Every character RFC 3986 allows unencoded in userinfo (besides letters
 * and digits), a percent-encoded byte, and a space (no URL allows one, but
 * a hand-written config string may hold it). Each goes between two
 * distinctive halves of a password: masking that stopped at the character
 * would show the second half.
 */
const USERINFO_CHARS = [..."-._~!$&'()*+,;=:", "%2C", "%40", " "];

/**
 * Characters also tried in database connection strings: each failed call
 * there waits out a timeout (blocking calls one after another), so only the
 * ones the issue found, a space and an encoded byte.
 */
const DATABASE_CHARS = [",", ")", "'", " ", "%40"];

/** Configs with `password` in a URL's userinfo. */
function passwordConfigs(
  port: number,
  password: string,
  databases: boolean,
): [string, Record<string, string>][] {
  const at = `user:${password}@127.0.0.1:${port}`;
  const configs: [string, Record<string, string>][] = [
    ["redis", { endpoint: `redis://${at}` }],
    ["http", { endpoint: `http://${at}` }],
    ["webdav", { endpoint: `http://${at}` }],
  ];
  if (databases) {
    configs.push(
      ["postgresql", {
        connection_string: `postgresql://${at}/db`,
        table: "data",
      }],
      ["mysql", { connection_string: `mysql://${at}/db`, table: "data" }],
    );
  }
  return configs;
}

/**
 * Configs with `secret` as a query value. A query value runs to the next
 * `&`, `#` or space, as URL syntax has it: those three are not tried.
 */
function querySecretConfigs(
  port: number,
  secret: string,
): [string, Record<string, string>][] {
  if (/[&# ]/.test(secret)) return [];
  return [
    ["http", { endpoint: `http://127.0.0.1:${port}/?sig=${secret}&a=b` }],
    ["webdav", {
      endpoint: `http://127.0.0.1:${port}/?X-Amz-Signature=${secret}`,
    }],
  ];
}

Deno.test({
  name:
    "URL passwords and query secrets with any userinfo character never show",
  ...offline,
}, async () => {
  const port = closedPort();
  const cases = USERINFO_CHARS.flatMap((c) => {
    const halves = [fake("PWA"), fake("PWB")];
    const value = halves.join(c);
    return [
      ...passwordConfigs(port, value, DATABASE_CHARS.includes(c)),
      ...querySecretConfigs(port, value),
    ].map(([scheme, config]) => ({
      label: `${JSON.stringify(c)} in ${Object.values(config)[0]}`,
      scheme,
      config,
      secrets: halves,
    }));
  });
  const results = await Promise.all(
    cases.map(async (c) => ({ c, shown: await exercise(c.scheme, c.config) })),
  );
  for (const { c, shown } of results) {
    const label = `${c.scheme} (${c.label})`;
    assert.ok(shown.errors >= 1, `${label}: no error`);
    assertNothingShows(label, shown, c.secrets);
  }
});

Deno.test({
  name: "the CLI never prints a URL password, whatever it holds",
  ...offline,
}, async () => {
  const port = closedPort();
  const runs = USERINFO_CHARS.flatMap((c) => {
    const halves = [fake("CLIA"), fake("CLIB")];
    const at = `user:${halves.join(c)}@127.0.0.1:${port}`;
    const commands = [
      ["stat", `redis://${at}/key`],
      ["ls", `postgresql://${at}/`], // no database: a usage error quoting it
    ];
    if (c === ",") {
      commands.push(
        ["cat", `webdav+http://${at}/key`],
        ["cp", `redis://${at}/key`, `redis://${at}/copy`],
        ["stat", "--json", `mysql://${at}/db/key`],
      );
    }
    return commands.map((args) => ({ c, halves, args }));
  });
  // A few processes at a time: each is a whole Deno.
  for (let i = 0; i < runs.length; i += 6) {
    await Promise.all(
      runs.slice(i, i + 6).map(async ({ c, halves, args }) => {
        const out = await cli(args);
        const what = `${JSON.stringify(c)}: ${args[0]} ${args[1]}`;
        assert.notEqual(out.code, 0, `${what} succeeded`);
        for (const half of halves) {
          for (const text of [out.stdout, out.stderr]) {
            assert.ok(!text.includes(half), `${what} shows it:\n${text}`);
          }
        }
      }),
    );
  }
});

// ---------------------------------------------------------------------------
// Against a real server, when the environment names one
// ---------------------------------------------------------------------------

/** The real credentials in a config: secret-named values and URL passwords. */
function realSecrets(config: Record<string, string>): string[] {
  const secrets: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (/secret|password|account_key|sas_token|token|^credential$/.test(key)) {
      secrets.push(value);
    }
    if (/endpoint|connection_string/.test(key)) {
      try {
        const password = decodeURIComponent(new URL(value).password);
        if (password) secrets.push(password);
      } catch {
        // Not a URL.
      }
    }
  }
  // Test servers use words like "opendal" or "password", which occur in
  // ordinary output ("opendalError" in a stack): only check distinctive ones.
  return secrets.filter((s) =>
    s.length >= 16 || (s.length >= 8 && !/^[a-z]+$/.test(s))
  );
}

for (const scheme of tested) {
  const config = configFromEnv(scheme);
  const root = `/reliability-${crypto.randomUUID()}/`;
  const rooted = {
    ...config,
    root: `${(config.root ?? "/").replace(/\/$/, "")}${root}`,
  };

  const secrets = realSecrets(config);
  Deno.test({
    name: `${scheme} (real server): real credentials never show`,
    // Nothing distinctive to look for: reported as ignored, never as passed.
    ignore: secrets.length === 0,
  }, async () => {
    const shown = await exercise(scheme, rooted);
    assert.ok(shown.logLines > 0, "no log lines");
    assertNothingShows(`${scheme} (real)`, shown, secrets);
    using op = new Operator(scheme, rooted);
    await op.removeAll("/").catch(() => {});
  });

  for (const c of withFakeSecrets(scheme, rooted)) {
    Deno.test(`${scheme} (real server): fake ${c.label} never shows`, async () => {
      const shown = await exercise(scheme, c.config);
      assertNothingShows(`${scheme} (${c.label})`, shown, c.secrets);
    });
  }
}
