/**
 * The S3 clients bench/s3.ts compares, each behind one shape and each used
 * the way its documentation shows. A client's package is imported only when
 * that client is made, so a worker process holds one client's code alone.
 *
 * Multipart uploads use 8 MiB parts and 4 parts in flight wherever the
 * client lets a caller choose (npm:opendal 0.49.2 and minio upload one part
 * at a time, and cannot be told otherwise); aws4fetch
 * has no multipart helper, so its upload is the few signed requests an
 * aws4fetch user writes (`multipartWithFetch`).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { Readable } from "node:stream";
import { createRequire } from "node:module";

/** Where the server is and who we are. */
export interface S3Target {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What every client does in the benchmark. */
export interface Client {
  put(key: string, data: Uint8Array<ArrayBuffer>): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  /** `key`'s content length (a HEAD). */
  stat(key: string): Promise<number>;
  /** Streams `chunks` (`size` bytes in all) to `key`, multipart where supported. */
  upload(
    key: string,
    chunks: () => Iterable<Uint8Array<ArrayBuffer>>,
    size: number,
  ): Promise<void>;
  /** Streams `key`'s bytes to `onChunk`. */
  download(key: string, onChunk: (bytes: Uint8Array) => void): Promise<void>;
  /** Every key under `prefix` (one level, pages of 1 000). */
  list(prefix: string): Promise<string[]>;
  /** A URL that GETs `key` for an hour. */
  presign(key: string): Promise<string>;
  close(): void;
}

/** The clients, in table order; `this module` first, the rest by name. */
export const CLIENTS = [
  "this module",
  "npm:opendal",
  "@aws-sdk/client-s3",
  "aws4fetch",
  "minio",
  "s3mini",
] as const;
export type ClientName = typeof CLIENTS[number];

/**
 * The npm packages, pinned. They are imported at run time by specifier
 * (workers run with `--no-lock`), so neither `deno check` nor a run writes a
 * lockfile for them into the checkout; the shapes used are declared below.
 */
export const PACKAGES = {
  awsSdk: "npm:@aws-sdk/client-s3@3.1175.0",
  libStorage: "npm:@aws-sdk/lib-storage@3.1175.0",
  presigner: "npm:@aws-sdk/s3-request-presigner@3.1169.0",
  aws4fetch: "npm:aws4fetch@1.0.20",
  minio: "npm:minio@8.0.7",
  s3mini: "npm:s3mini@1.0.2",
} as const;

/** Imports a pinned package as the shape `T` this file declares for it. */
async function load<T>(specifier: string): Promise<T> {
  return await import(specifier) as T;
}

export const PART_SIZE = 8 * 1024 * 1024;
export const PARTS_IN_FLIGHT = 4;
const PAGE = 1000;
const EXPIRES_S = 3600;

/** Makes the client `name` against `t`. */
export function makeClient(name: ClientName, t: S3Target): Promise<Client> {
  switch (name) {
    case "this module":
      return thisModule(t);
    case "npm:opendal":
      return npmOpendal(t);
    case "@aws-sdk/client-s3":
      return awsSdk(t);
    case "aws4fetch":
      return aws4fetch(t);
    case "minio":
      return minio(t);
    case "s3mini":
      return s3mini(t);
  }
}

/** A Node `Buffer` over the same memory (no copy). */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

async function thisModule(t: S3Target): Promise<Client> {
  const { S3Operator } = await import("@opendal/core/services/s3");
  const op = new S3Operator({
    bucket: t.bucket,
    endpoint: t.endpoint,
    region: t.region,
    accessKeyId: t.accessKeyId,
    secretAccessKey: t.secretAccessKey,
    disableConfigLoad: true,
    disableEc2Metadata: true,
  });
  return {
    put: async (key, data) => void await op.write(key, data),
    get: (key) => op.read(key),
    stat: async (key) => (await op.stat(key)).contentLength,
    upload: async (key, chunks) => {
      const w = await op.writer(key, {
        chunk: PART_SIZE,
        concurrent: PARTS_IN_FLIGHT,
      });
      for (const c of chunks()) await w.write(c);
      await w.close();
    },
    download: async (key, onChunk) => {
      using r = await op.reader(key);
      for await (const c of r.readable) onChunk(c);
    },
    list: async (prefix) => {
      const keys: string[] = [];
      for await (const e of op.list(prefix)) {
        if (e.path !== prefix) keys.push(e.path);
      }
      return keys;
    },
    presign: async (key) => (await op.presignRead(key, EXPIRES_S)).url,
    close: () => op.close(),
  };
}

/** The part of npm:opendal 0.49.2's API used here (see its generated.d.ts). */
interface NpmOperator {
  write(path: string, data: Buffer): Promise<unknown>;
  read(path: string): Promise<Buffer>;
  stat(path: string): Promise<{ contentLength: bigint | null }>;
  writer(
    path: string,
    options: { chunk: bigint },
  ): Promise<{ write(b: Buffer): Promise<void>; close(): Promise<void> }>;
  reader(path: string): Promise<{ createReadStream(): Readable }>;
  list(path: string): Promise<{ path(): string }[]>;
  presignRead(path: string, expires: number): Promise<{ url: string }>;
}

/**
 * `t` as OpenDAL's s3 options by their config names, which both this module's
 * and npm:opendal's `new Operator("s3", options)` take.
 */
export function s3Config(t: S3Target): Record<string, string> {
  return {
    bucket: t.bucket,
    endpoint: t.endpoint,
    region: t.region,
    access_key_id: t.accessKeyId,
    secret_access_key: t.secretAccessKey,
    disable_config_load: "true",
    disable_ec2_metadata: "true",
  };
}

async function npmOpendal(t: S3Target): Promise<Client> {
  // As bench/compare.ts loads it (bench/impls.ts): Deno's npm: resolution
  // fails on this release's optional platform packages.
  const { loadNpmOpendal } = await import("./impls.ts");
  await loadNpmOpendal();
  const require = createRequire(new URL("./npm/", import.meta.url));
  const { Operator } = require("opendal") as {
    Operator: new (s: string, o: Record<string, string>) => NpmOperator;
  };
  const op = new Operator("s3", s3Config(t));
  return {
    put: async (key, data) => void await op.write(key, asBuffer(data)),
    get: (key) => op.read(key),
    stat: async (key) => Number((await op.stat(key)).contentLength),
    upload: async (key, chunks) => {
      // 0.49.2 has no `concurrent` write option: parts go one at a time.
      const w = await op.writer(key, { chunk: BigInt(PART_SIZE) });
      for (const c of chunks()) await w.write(asBuffer(c));
      await w.close();
    },
    download: async (key, onChunk) => {
      const r = await op.reader(key);
      for await (const c of r.createReadStream()) onChunk(c);
    },
    list: async (prefix) =>
      (await op.list(prefix)).map((e) => e.path()).filter((p) => p !== prefix),
    presign: async (key) => (await op.presignRead(key, EXPIRES_S)).url,
    close: () => {},
  };
}

/** The part of @aws-sdk/client-s3, lib-storage and the presigner used here. */
type AwsCommand = new (input: Record<string, unknown>) => object;
interface AwsSdk {
  S3Client: new (config: Record<string, unknown>) => AwsS3Client;
  GetObjectCommand: AwsCommand;
  HeadObjectCommand: AwsCommand;
  PutObjectCommand: AwsCommand;
  paginateListObjectsV2(
    config: { client: AwsS3Client; pageSize: number },
    input: Record<string, unknown>,
  ): AsyncIterable<{ Contents?: { Key?: string }[] }>;
}
interface AwsS3Client {
  // deno-lint-ignore no-explicit-any
  send(command: object): Promise<any>;
  destroy(): void;
}
interface AwsBody extends AsyncIterable<Uint8Array> {
  transformToByteArray(): Promise<Uint8Array>;
}
interface LibStorage {
  Upload: new (
    options: Record<string, unknown>,
  ) => { done(): Promise<unknown> };
}
interface Presigner {
  getSignedUrl(
    client: AwsS3Client,
    command: object,
    options: { expiresIn: number },
  ): Promise<string>;
}

async function awsSdk(t: S3Target): Promise<Client> {
  const {
    GetObjectCommand,
    HeadObjectCommand,
    paginateListObjectsV2,
    PutObjectCommand,
    S3Client,
  } = await load<AwsSdk>(PACKAGES.awsSdk);
  const { Upload } = await load<LibStorage>(PACKAGES.libStorage);
  const { getSignedUrl } = await load<Presigner>(PACKAGES.presigner);
  const client = new S3Client({
    endpoint: t.endpoint,
    region: t.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: t.accessKeyId,
      secretAccessKey: t.secretAccessKey,
    },
  });
  const Bucket = t.bucket;
  const body = async (key: string): Promise<AwsBody> => {
    const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
    if (!r.Body) throw new Error(`GET ${key}: no body`);
    return r.Body;
  };
  return {
    put: async (key, data) =>
      void await client.send(
        new PutObjectCommand({ Bucket, Key: key, Body: data }),
      ),
    get: async (key) => await (await body(key)).transformToByteArray(),
    stat: async (key) =>
      (await client.send(new HeadObjectCommand({ Bucket, Key: key })))
        .ContentLength,
    upload: async (key, chunks) => {
      await new Upload({
        client,
        params: { Bucket, Key: key, Body: Readable.from(chunks()) },
        partSize: PART_SIZE,
        queueSize: PARTS_IN_FLIGHT,
      }).done();
    },
    download: async (key, onChunk) => {
      for await (const c of await body(key)) onChunk(c);
    },
    list: async (prefix) => {
      const keys: string[] = [];
      const pages = paginateListObjectsV2({ client, pageSize: PAGE }, {
        Bucket,
        Prefix: prefix,
        Delimiter: "/",
      });
      for await (const page of pages) {
        for (const o of page.Contents ?? []) keys.push(o.Key ?? "");
      }
      return keys;
    },
    presign: (key) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket, Key: key }), {
        expiresIn: EXPIRES_S,
      }),
    close: () => client.destroy(),
  };
}

/** An S3 XML element's text, or undefined. */
function xmlText(xml: string, tag: string): string | undefined {
  const m = xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`));
  return m?.[1];
}

/** Undoes XML's five entities. */
function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) =>
    ({
      lt: "<",
      gt: ">",
      amp: "&",
      quot: '"',
      apos: "'",
    })[e]!);
}

/** Throws with the response's body unless it is a success. */
async function ok(res: Response, what: string): Promise<Response> {
  if (!res.ok) {
    throw new Error(`${what}: HTTP ${res.status}: ${await res.text()}`);
  }
  return res;
}

/**
 * A multipart upload made of signed requests, PARTS_IN_FLIGHT parts at a
 * time: what a user of a signing-only client (aws4fetch) writes.
 */
async function multipartWithFetch(
  fetchSigned: (url: string, init?: RequestInit) => Promise<Response>,
  url: string,
  chunks: Iterable<Uint8Array<ArrayBuffer>>,
): Promise<void> {
  const created = await ok(
    await fetchSigned(`${url}?uploads`, { method: "POST" }),
    "CreateMultipartUpload",
  );
  const uploadId = xmlText(await created.text(), "UploadId");
  if (!uploadId) throw new Error("CreateMultipartUpload: no UploadId");
  const id = encodeURIComponent(uploadId);
  const etags: string[] = [];
  const running = new Set<Promise<void>>();
  const send = async (n: number, part: Uint8Array<ArrayBuffer>) => {
    const res = await ok(
      await fetchSigned(`${url}?partNumber=${n}&uploadId=${id}`, {
        method: "PUT",
        body: part,
      }),
      `UploadPart ${n}`,
    );
    await res.body?.cancel();
    etags[n - 1] = res.headers.get("etag")!;
  };
  let part = new Uint8Array(PART_SIZE);
  let filled = 0;
  let n = 0;
  const flush = async () => {
    const p = send(++n, part.subarray(0, filled)).finally(() =>
      running.delete(p)
    );
    running.add(p);
    if (running.size >= PARTS_IN_FLIGHT) await Promise.race(running);
    part = new Uint8Array(PART_SIZE);
    filled = 0;
  };
  for (const c of chunks) {
    let at = 0;
    while (at < c.length) {
      const take = Math.min(c.length - at, PART_SIZE - filled);
      part.set(c.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === PART_SIZE) await flush();
    }
  }
  if (filled > 0 || n === 0) await flush();
  await Promise.all(running);
  const xml = "<CompleteMultipartUpload>" +
    etags.map((e, i) =>
      `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`
    ).join("") + "</CompleteMultipartUpload>";
  const done = await ok(
    await fetchSigned(`${url}?uploadId=${id}`, { method: "POST", body: xml }),
    "CompleteMultipartUpload",
  );
  const text = await done.text();
  if (text.includes("<Error>")) throw new Error(`Complete: ${text}`);
}

/** The part of aws4fetch used here. */
interface Aws4fetch {
  AwsClient: new (options: Record<string, string>) => {
    fetch(url: string, init?: RequestInit): Promise<Response>;
    sign(
      url: string,
      init: { aws: { signQuery: boolean } },
    ): Promise<Request>;
  };
}

async function aws4fetch(t: S3Target): Promise<Client> {
  const { AwsClient } = await load<Aws4fetch>(PACKAGES.aws4fetch);
  const aws = new AwsClient({
    accessKeyId: t.accessKeyId,
    secretAccessKey: t.secretAccessKey,
    service: "s3",
    region: t.region,
  });
  const base = `${t.endpoint}/${t.bucket}`;
  const url = (key: string) =>
    `${base}/${key.split("/").map(encodeURIComponent).join("/")}`;
  const fetchSigned = (u: string, init?: RequestInit) => aws.fetch(u, init);
  const get = async (key: string) =>
    await ok(await aws.fetch(url(key)), `GET ${key}`);
  return {
    put: async (key, data) => {
      const res = await ok(
        await aws.fetch(url(key), { method: "PUT", body: data }),
        `PUT ${key}`,
      );
      await res.body?.cancel();
    },
    get: async (key) => new Uint8Array(await (await get(key)).arrayBuffer()),
    stat: async (key) => {
      const res = await ok(
        await aws.fetch(url(key), { method: "HEAD" }),
        `HEAD ${key}`,
      );
      return Number(res.headers.get("content-length"));
    },
    upload: (key, chunks) =>
      multipartWithFetch(fetchSigned, url(key), chunks()),
    download: async (key, onChunk) => {
      for await (const c of (await get(key)).body!) onChunk(c);
    },
    list: async (prefix) => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const q = new URLSearchParams({
          "list-type": "2",
          prefix,
          delimiter: "/",
          "max-keys": String(PAGE),
        });
        if (token) q.set("continuation-token", token);
        const xml = await (await ok(await aws.fetch(`${base}?${q}`), "LIST"))
          .text();
        for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) {
          keys.push(unescapeXml(m[1]));
        }
        const more = xmlText(xml, "IsTruncated") === "true";
        const next = xmlText(xml, "NextContinuationToken");
        token = more && next ? unescapeXml(next) : undefined;
      } while (token);
      return keys;
    },
    presign: async (key) =>
      (await aws.sign(`${url(key)}?X-Amz-Expires=${EXPIRES_S}`, {
        aws: { signQuery: true },
      })).url,
    close: () => {},
  };
}

/** The part of minio used here. */
interface Minio {
  Client: new (options: Record<string, unknown>) => {
    putObject(
      bucket: string,
      key: string,
      data: Buffer | Readable,
      size: number,
    ): Promise<unknown>;
    getObject(bucket: string, key: string): Promise<AsyncIterable<Buffer>>;
    statObject(bucket: string, key: string): Promise<{ size: number }>;
    listObjectsV2(
      bucket: string,
      prefix: string,
      recursive: boolean,
    ): AsyncIterable<{ name?: string }>;
    presignedGetObject(
      bucket: string,
      key: string,
      expires: number,
    ): Promise<string>;
  };
}

async function minio(t: S3Target): Promise<Client> {
  const Minio = await load<Minio>(PACKAGES.minio);
  const endpoint = new URL(t.endpoint);
  const client = new Minio.Client({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: endpoint.protocol === "https:",
    accessKey: t.accessKeyId,
    secretKey: t.secretAccessKey,
    region: t.region,
    pathStyle: true,
    partSize: PART_SIZE,
  });
  const bucket = t.bucket;
  return {
    put: async (key, data) =>
      void await client.putObject(bucket, key, asBuffer(data), data.length),
    get: async (key) => {
      const parts: Buffer[] = [];
      for await (const c of await client.getObject(bucket, key)) parts.push(c);
      return Buffer.concat(parts);
    },
    stat: async (key) => (await client.statObject(bucket, key)).size,
    upload: async (key, chunks, size) =>
      void await client.putObject(
        bucket,
        key,
        Readable.from(chunks(), { objectMode: false }),
        size,
      ),
    download: async (key, onChunk) => {
      for await (const c of await client.getObject(bucket, key)) onChunk(c);
    },
    list: async (prefix) => {
      const keys: string[] = [];
      for await (const o of client.listObjectsV2(bucket, prefix, false)) {
        if (o.name) keys.push(o.name);
      }
      return keys;
    },
    presign: (key) => client.presignedGetObject(bucket, key, EXPIRES_S),
    close: () => {},
  };
}

/** The part of s3mini used here. */
interface S3miniModule {
  S3mini: new (options: Record<string, unknown>) => {
    putObject(key: string, data: Uint8Array): Promise<Response>;
    putAnyObject(
      key: string,
      data: ReadableStream<Uint8Array>,
    ): Promise<{ ok: boolean; status: number }>;
    getObjectArrayBuffer(key: string): Promise<ArrayBuffer | null>;
    getObjectResponse(key: string): Promise<Response | null>;
    getContentLength(key: string): Promise<number>;
    listObjectsPaged(
      delimiter: string,
      prefix: string,
      maxKeys: number,
      token?: string,
    ): Promise<
      | { objects: { Key: string }[] | null; nextContinuationToken?: string }
      | null
      | undefined
    >;
    getPresignedUrl(
      method: "GET",
      key: string,
      expires: number,
    ): Promise<string>;
  };
}

async function s3mini(t: S3Target): Promise<Client> {
  const { S3mini } = await load<S3miniModule>(PACKAGES.s3mini);
  const s3 = new S3mini({
    accessKeyId: t.accessKeyId,
    secretAccessKey: t.secretAccessKey,
    endpoint: `${t.endpoint}/${t.bucket}`,
    region: t.region,
    minPartSize: PART_SIZE,
  });
  return {
    put: async (key, data) => {
      const res = await s3.putObject(key, data);
      await ok(res, `PUT ${key}`);
      await res.body?.cancel();
    },
    get: async (key) => {
      const b = await s3.getObjectArrayBuffer(key);
      if (!b) throw new Error(`GET ${key}: not found`);
      return new Uint8Array(b);
    },
    stat: (key) => s3.getContentLength(key),
    upload: async (key, chunks) => {
      const res = await s3.putAnyObject(key, ReadableStream.from(chunks()));
      if (!res.ok) throw new Error(`upload ${key}: HTTP ${res.status}`);
    },
    download: async (key, onChunk) => {
      const res = await s3.getObjectResponse(key);
      if (!res?.body) throw new Error(`GET ${key}: not found`);
      for await (const c of res.body) onChunk(c);
    },
    list: async (prefix) => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.listObjectsPaged("/", prefix, PAGE, token);
        for (const o of page?.objects ?? []) keys.push(o.Key);
        token = page?.nextContinuationToken;
      } while (token);
      return keys;
    },
    presign: (key) => s3.getPresignedUrl("GET", key, EXPIRES_S),
    close: () => {},
  };
}
