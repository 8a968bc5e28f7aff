/**
 * How the command-line tool prints metadata, sizes and rates, as text or
 * as JSON.
 *
 * @module
 */

import type { Metadata } from "../metadata.ts";

const encoder = new TextEncoder();

/** Writes `text` to stdout completely (a pipe may take it in parts). */
export async function out(text: string): Promise<void> {
  await writeAll(Deno.stdout, encoder.encode(text));
}

/** Writes `text` to stderr completely. */
export async function err(text: string): Promise<void> {
  await writeAll(Deno.stderr, encoder.encode(text));
}

/** Writes all of `bytes` to `file`. */
export async function writeAll(
  file: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    done += await file.write(bytes.subarray(done));
  }
}

/** One JSON document on one line. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** Metadata as a plain JSON object, leaving out what the service did not report. */
export function metadataJson(
  path: string,
  meta: Metadata,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    path,
    mode: meta.mode,
    size: meta.contentLength,
    lastModified: meta.lastModified?.toISOString(),
    etag: meta.etag,
    contentType: meta.contentType,
    contentMd5: meta.contentMd5,
    contentEncoding: meta.contentEncoding,
    contentDisposition: meta.contentDisposition,
    cacheControl: meta.cacheControl,
    version: meta.version,
  };
  if (Object.keys(meta.userMetadata).length) {
    out.userMetadata = meta.userMetadata;
  }
  for (const key of Object.keys(out)) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

/** `stat`'s text form: one `key: value` per line. */
export function metadataText(path: string, meta: Metadata): string {
  const lines = Object.entries(metadataJson(path, meta)).map(([k, v]) =>
    `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`
  );
  return `${lines.join("\n")}\n`;
}

/** `ls --long`'s line: mode, size, last modified, name. */
export function longLine(name: string, meta: Metadata): string {
  const modified = meta.lastModified?.toISOString().replace(/\.\d+Z$/, "Z") ??
    "-".padEnd(20);
  const size = meta.isDirectory ? "-" : String(meta.contentLength);
  return `${meta.mode.padEnd(4)} ${size.padStart(12)} ${modified} ${name}\n`;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** `1536` as `"1.5 KiB"`. */
export function humanBytes(n: number): string {
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${n.toFixed(1)} ${UNITS[unit]}`;
}
