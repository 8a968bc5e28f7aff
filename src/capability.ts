/**
 * `Capability` and `OperatorInfo`: what a service can do.
 *
 * @module
 */

import type { RecordReader } from "./codec.ts";

/**
 * Everything the operator's service supports, as OpenDAL reports it (field
 * names are OpenDAL's, in camelCase). Check a flag before relying on an
 * option: `writeWithIfNotExists` before `write(..., { ifNotExists: true })`.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * const cap = op.capability();
 * console.log(cap.read, cap.presign); // true false
 * ```
 */
export interface Capability {
  /** OpenDAL's `stat`. */
  readonly stat: boolean;
  /** OpenDAL's `stat_with_if_match`. */
  readonly statWithIfMatch: boolean;
  /** OpenDAL's `stat_with_if_none_match`. */
  readonly statWithIfNoneMatch: boolean;
  /** OpenDAL's `stat_with_if_version_match`. */
  readonly statWithIfVersionMatch: boolean;
  /** OpenDAL's `stat_with_if_version_not_match`. */
  readonly statWithIfVersionNotMatch: boolean;
  /** OpenDAL's `stat_with_if_modified_since`. */
  readonly statWithIfModifiedSince: boolean;
  /** OpenDAL's `stat_with_if_unmodified_since`. */
  readonly statWithIfUnmodifiedSince: boolean;
  /** OpenDAL's `stat_with_override_cache_control`. */
  readonly statWithOverrideCacheControl: boolean;
  /** OpenDAL's `stat_with_override_content_disposition`. */
  readonly statWithOverrideContentDisposition: boolean;
  /** OpenDAL's `stat_with_override_content_type`. */
  readonly statWithOverrideContentType: boolean;
  /** OpenDAL's `stat_with_version`. */
  readonly statWithVersion: boolean;
  /** OpenDAL's `read`. */
  readonly read: boolean;
  /** OpenDAL's `read_with_if_match`. */
  readonly readWithIfMatch: boolean;
  /** OpenDAL's `read_with_if_none_match`. */
  readonly readWithIfNoneMatch: boolean;
  /** OpenDAL's `read_with_if_version_match`. */
  readonly readWithIfVersionMatch: boolean;
  /** OpenDAL's `read_with_if_version_not_match`. */
  readonly readWithIfVersionNotMatch: boolean;
  /** OpenDAL's `read_with_if_modified_since`. */
  readonly readWithIfModifiedSince: boolean;
  /** OpenDAL's `read_with_if_unmodified_since`. */
  readonly readWithIfUnmodifiedSince: boolean;
  /** OpenDAL's `read_with_override_cache_control`. */
  readonly readWithOverrideCacheControl: boolean;
  /** OpenDAL's `read_with_override_content_disposition`. */
  readonly readWithOverrideContentDisposition: boolean;
  /** OpenDAL's `read_with_override_content_type`. */
  readonly readWithOverrideContentType: boolean;
  /** OpenDAL's `read_with_version`. */
  readonly readWithVersion: boolean;
  /** OpenDAL's `read_with_suffix`. */
  readonly readWithSuffix: boolean;
  /** OpenDAL's `write`. */
  readonly write: boolean;
  /** OpenDAL's `write_can_multi`. */
  readonly writeCanMulti: boolean;
  /** OpenDAL's `write_can_empty`. */
  readonly writeCanEmpty: boolean;
  /** OpenDAL's `write_can_append`. */
  readonly writeCanAppend: boolean;
  /** OpenDAL's `write_can_copy_from`. */
  readonly writeCanCopyFrom: boolean;
  /** OpenDAL's `write_with_content_type`. */
  readonly writeWithContentType: boolean;
  /** OpenDAL's `write_with_content_disposition`. */
  readonly writeWithContentDisposition: boolean;
  /** OpenDAL's `write_with_content_encoding`. */
  readonly writeWithContentEncoding: boolean;
  /** OpenDAL's `write_with_cache_control`. */
  readonly writeWithCacheControl: boolean;
  /** OpenDAL's `write_with_if_match`. */
  readonly writeWithIfMatch: boolean;
  /** OpenDAL's `write_with_if_none_match`. */
  readonly writeWithIfNoneMatch: boolean;
  /** OpenDAL's `write_with_if_version_match`. */
  readonly writeWithIfVersionMatch: boolean;
  /** OpenDAL's `write_with_if_version_not_match`. */
  readonly writeWithIfVersionNotMatch: boolean;
  /** OpenDAL's `write_with_if_not_exists`. */
  readonly writeWithIfNotExists: boolean;
  /** OpenDAL's `write_with_user_metadata`. */
  readonly writeWithUserMetadata: boolean;
  /** OpenDAL's `create_dir`. */
  readonly createDir: boolean;
  /** OpenDAL's `delete`. */
  readonly delete: boolean;
  /** OpenDAL's `delete_with_version`. */
  readonly deleteWithVersion: boolean;
  /** OpenDAL's `delete_with_recursive`. */
  readonly deleteWithRecursive: boolean;
  /** OpenDAL's `delete_with_if_match`. */
  readonly deleteWithIfMatch: boolean;
  /** OpenDAL's `delete_with_if_none_match`. */
  readonly deleteWithIfNoneMatch: boolean;
  /** OpenDAL's `delete_with_if_version_match`. */
  readonly deleteWithIfVersionMatch: boolean;
  /** OpenDAL's `delete_with_if_version_not_match`. */
  readonly deleteWithIfVersionNotMatch: boolean;
  /** OpenDAL's `copy`. */
  readonly copy: boolean;
  /** OpenDAL's `copy_with_if_not_exists`. */
  readonly copyWithIfNotExists: boolean;
  /** OpenDAL's `copy_with_if_match`. */
  readonly copyWithIfMatch: boolean;
  /** OpenDAL's `copy_with_if_none_match`. */
  readonly copyWithIfNoneMatch: boolean;
  /** OpenDAL's `copy_with_if_version_match`. */
  readonly copyWithIfVersionMatch: boolean;
  /** OpenDAL's `copy_with_if_version_not_match`. */
  readonly copyWithIfVersionNotMatch: boolean;
  /** OpenDAL's `copy_with_source_version`. */
  readonly copyWithSourceVersion: boolean;
  /** OpenDAL's `copy_can_multi`. */
  readonly copyCanMulti: boolean;
  /** OpenDAL's `compose`. */
  readonly compose: boolean;
  /** OpenDAL's `compose_with_content_type`. */
  readonly composeWithContentType: boolean;
  /** OpenDAL's `compose_with_content_disposition`. */
  readonly composeWithContentDisposition: boolean;
  /** OpenDAL's `compose_with_content_encoding`. */
  readonly composeWithContentEncoding: boolean;
  /** OpenDAL's `compose_with_cache_control`. */
  readonly composeWithCacheControl: boolean;
  /** OpenDAL's `compose_with_user_metadata`. */
  readonly composeWithUserMetadata: boolean;
  /** OpenDAL's `compose_with_if_match`. */
  readonly composeWithIfMatch: boolean;
  /** OpenDAL's `compose_with_if_none_match`. */
  readonly composeWithIfNoneMatch: boolean;
  /** OpenDAL's `compose_with_if_version_match`. */
  readonly composeWithIfVersionMatch: boolean;
  /** OpenDAL's `compose_with_if_version_not_match`. */
  readonly composeWithIfVersionNotMatch: boolean;
  /** OpenDAL's `compose_with_if_not_exists`. */
  readonly composeWithIfNotExists: boolean;
  /** OpenDAL's `compose_with_source_version`. */
  readonly composeWithSourceVersion: boolean;
  /** OpenDAL's `compose_with_source_if_match`. */
  readonly composeWithSourceIfMatch: boolean;
  /** OpenDAL's `restore`. */
  readonly restore: boolean;
  /** OpenDAL's `restore_with_version`. */
  readonly restoreWithVersion: boolean;
  /** OpenDAL's `restore_with_if_not_exists`. */
  readonly restoreWithIfNotExists: boolean;
  /** OpenDAL's `rename`. */
  readonly rename: boolean;
  /** OpenDAL's `rename_with_if_not_exists`. */
  readonly renameWithIfNotExists: boolean;
  /** OpenDAL's `list`. */
  readonly list: boolean;
  /** OpenDAL's `list_with_limit`. */
  readonly listWithLimit: boolean;
  /** OpenDAL's `list_with_start_after`. */
  readonly listWithStartAfter: boolean;
  /** OpenDAL's `list_with_recursive`. */
  readonly listWithRecursive: boolean;
  /** OpenDAL's `list_with_versions`. */
  readonly listWithVersions: boolean;
  /** OpenDAL's `list_with_deleted`. */
  readonly listWithDeleted: boolean;
  /** OpenDAL's `presign`. */
  readonly presign: boolean;
  /** OpenDAL's `presign_read`. */
  readonly presignRead: boolean;
  /** OpenDAL's `presign_stat`. */
  readonly presignStat: boolean;
  /** OpenDAL's `presign_write`. */
  readonly presignWrite: boolean;
  /** OpenDAL's `presign_delete`. */
  readonly presignDelete: boolean;
  /** OpenDAL's `shared`. */
  readonly shared: boolean;
  /** OpenDAL's `write_multi_max_size` in bytes (or entries), `undefined` when unlimited. */
  readonly writeMultiMaxSize?: number;
  /** OpenDAL's `write_multi_min_size` in bytes (or entries), `undefined` when unlimited. */
  readonly writeMultiMinSize?: number;
  /** OpenDAL's `write_total_max_size` in bytes (or entries), `undefined` when unlimited. */
  readonly writeTotalMaxSize?: number;
  /** OpenDAL's `delete_max_size` in bytes (or entries), `undefined` when unlimited. */
  readonly deleteMaxSize?: number;
  /** OpenDAL's `copy_multi_max_size` in bytes (or entries), `undefined` when unlimited. */
  readonly copyMultiMaxSize?: number;
  /** OpenDAL's `copy_multi_min_size` in bytes (or entries), `undefined` when unlimited. */
  readonly copyMultiMinSize?: number;
}

/**
 * The operator's scheme, root, name (bucket, container, ...) and capability.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator({ root: "/cache/" });
 * const { scheme, root } = op.info();
 * console.log(scheme, root); // memory /cache/
 * ```
 */
export interface OperatorInfo {
  /** The service scheme, such as `"fs"` or `"s3"`. */
  readonly scheme: string;
  /** The root every path is relative to. */
  readonly root: string;
  /** The namespace, such as a bucket name; empty when the service has none. */
  readonly name: string;
  /** What the service supports. */
  readonly capability: Capability;
}

function camelCase(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Decodes an info record (see `rust/src/output.rs`). */
export function readInfo(r: RecordReader): OperatorInfo {
  const scheme = r.text();
  const root = r.text();
  const name = r.text();
  const capability: Record<string, boolean | number | undefined> = {};
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const key = camelCase(r.text());
    const kind = r.u8();
    capability[key] = kind === 0
      ? r.u8() === 1
      : kind === 1
      ? r.f64()
      : undefined;
  }
  return {
    scheme,
    root,
    name,
    capability: Object.freeze(capability) as unknown as Capability,
  };
}
