//! Operator functions: construction, info, and every operation.
//!
//! Each takes `input` (tagged fields: paths and options, see `input.rs`) and
//! ends with the shared `queue, ticket, out, out_cap` tail (see `call.rs`).

use std::future::Future;

use futures::StreamExt;

use opendal::options::WriteOptions;
use opendal::{Buffer, ErrorKind, Operator, Result};

use crate::call::{self, run, run_now};
use crate::classify;
use crate::handles::Handle;
use crate::input::Input;
use crate::objects::{self, Object};
use crate::output::Payload;
use crate::ranges::{self, RangeReader};
use crate::same_object::refuse_same;
use crate::services;
use crate::staged::StagedWriter;
use crate::unsupported;

/// Decodes `input` and looks up `op`, then lets `build` make the future.
///
/// # Safety
/// `input` must point at `input_len` readable bytes.
unsafe fn with_operator<F>(
    op: Handle,
    input: *const u8,
    input_len: u32,
    build: impl FnOnce(Operator, Input<'_>) -> Result<F>,
) -> Result<F> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { call::bytes(input, input_len as usize, "input")? };
    let input = Input::decode(bytes)?;
    build(objects::operator(op)?, input)
}

/// Creates an operator from a `Scheme` field and `Config` pairs. The record
/// holds the new handle (`double`). An unknown scheme is `Unsupported`, and its
/// message lists the schemes this build has; an unknown config key is
/// `ConfigInvalid` naming the closest valid key. Keys are OpenDAL's
/// (`access_key_id`) or their camelCase (`accessKeyId`).
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_new(
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run_now(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { call::bytes(input, input_len as usize, "input")? };
        let input = Input::decode(bytes)?;
        let op = classify::below_every_layer({
            let scheme = input.scheme()?;
            Operator::via_iter(scheme, services::check(scheme, input.config()?)?)?
        });
        Ok(Payload::Object(Object::Operator(op)))
    })
}

/// The operator's scheme, root, name and full capability.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_info(
    op: Handle,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run_now(queue, ticket, out, out_cap, || {
        Ok(Payload::Info(objects::operator(op)?.info()))
    })
}

/// Checks that the service answers (for example: the bucket exists). OpenDAL
/// checks by listing; services that cannot list (key-value stores, http) are
/// checked by a stat of a name that does not exist, which must come back as
/// `NotFound` from the service itself.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_check(
    op: Handle,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        let op = objects::operator(op)?;
        Ok(async move {
            if op.info().capability().list {
                return op.check().await.map(|_| Payload::Empty);
            }
            match op.stat(".opendal-deno-check").await {
                Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
                _ => Ok(Payload::Empty),
            }
        })
    })
}

/// Runs an operation on `op` with the decoded `input` (the shared tail).
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[allow(clippy::too_many_arguments)]
unsafe fn operation<F>(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
    build: impl FnOnce(Operator, Input<'_>) -> Result<F>,
) -> i32
where
    F: Future<Output = Result<Payload>> + Send + 'static,
{
    run(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        unsafe { with_operator(op, input, input_len, build) }
    })
}

/// Services whose writer takes exactly one `write` (OpenDAL's one-shot
/// writer) refuse a second chunk. Their writers here keep the chunks (without
/// copying them) and send them as one body at close: the only way such a
/// service can take a stream. Key-value services and memory buffer by
/// themselves, so they are left alone (buffering here would also hand a
/// throttle layer one huge write at close).
const ONE_SHOT_WRITERS: &[&str] = &["webdav"];

fn streaming_write_options(op: &Operator, mut opts: WriteOptions) -> WriteOptions {
    if ONE_SHOT_WRITERS.contains(&op.info().scheme()) && opts.chunk.is_none() {
        opts.chunk = Some(usize::MAX / 2);
    }
    opts
}

fn boxed<F: Future<Output = Result<Payload>> + Send + 'static>(f: F) -> Result<F> {
    Ok(f)
}

/// Metadata of `Path` (options: version, conditions, overrides). Record: metadata.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_stat(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                let path = input.path()?.to_string();
                let opts = input.stat_options()?;
                unsupported::stat(&op, &opts)?;
                boxed(async move { op.stat_options(&path, opts).await.map(Payload::Metadata) })
            },
        )
    }
}

/// Whether `Path` exists. Record: `u32` 0 or 1.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_exists(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                input.no_options("exists")?;
                let path = input.path()?.to_string();
                boxed(async move { op.exists(&path).await.map(Payload::Bool) })
            },
        )
    }
}

/// Reads `Path` whole or a range (offset, length, conditions, version,
/// concurrent, chunk). Record: `f64` length,
/// `u32` inline flag; when 1 the bytes follow in `out`, when 0 they are
/// held under the ticket for `opendal_queue_take`.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_read(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                let path = input.entry_path()?.to_string();
                let opts = input.read_options()?;
                unsupported::read(&op, &opts)?;
                boxed(async move { ranges::read(&op, &path, opts).await.map(Payload::Bytes) })
            },
        )
    }
}

/// Creates the directory `Path` (which ends with `/`) and its parents.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_create_dir(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                input.no_options("createDir")?;
                let path = input.path()?.to_string();
                boxed(async move { op.create_dir(&path).await.map(|_| Payload::Empty) })
            },
        )
    }
}

/// Deletes `Path` (options: version, recursive). Deleting what does not
/// exist succeeds.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_delete(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                let path = input.entry_path()?.to_string();
                let opts = input.delete_options()?;
                unsupported::delete(&op, &opts)?;
                boxed(async move { op.delete_options(&path, opts).await.map(|_| Payload::Empty) })
            },
        )
    }
}

/// Deletes `Path` and everything below it.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_remove_all(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                input.no_options("removeAll")?;
                let path = input.entry_path()?.to_string();
                let opts = opendal::options::DeleteOptions {
                    recursive: true,
                    ..Default::default()
                };
                boxed(async move { op.delete_options(&path, opts).await.map(|_| Payload::Empty) })
            },
        )
    }
}

/// Copies `Path` to `Target` (options: ifNotExists, ifMatch, ifNoneMatch,
/// sourceVersion).
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_copy(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                let from = input.entry_path()?.to_string();
                let to = input.target()?.to_string();
                let opts = input.copy_options()?;
                unsupported::copy(&op, &opts)?;
                boxed(async move {
                    // Copying a version onto its own path restores it.
                    if opts.source_version.is_none() {
                        refuse_same("copy", (&op, &from), (&op, &to), true).await?;
                    }
                    op.copy_options(&from, &to, opts)
                        .await
                        .map(|_| Payload::Empty)
                })
            },
        )
    }
}

/// Renames `Path` to `Target` (option: ifNotExists).
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_rename(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                let from = input.entry_path()?.to_string();
                let to = input.target()?.to_string();
                let opts = input.rename_options()?;
                unsupported::rename(&op, &opts)?;
                boxed(async move {
                    refuse_same("rename", (&op, &from), (&op, &to), false).await?;
                    op.rename_options(&from, &to, opts)
                        .await
                        .map(|_| Payload::Empty)
                })
            },
        )
    }
}

/// Opens a reader on `Path` for random-access reads. Record: `double` handle.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_reader(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                let path = input.entry_path()?.to_string();
                let opts = input.reader_options()?;
                unsupported::reader(&op, &opts)?;
                boxed(async move {
                    let version = opts.version.clone();
                    let reader = op.reader_options(&path, opts).await?;
                    let reader = RangeReader::new(reader, op, path, version);
                    Ok(Payload::Object(Object::reader(reader)))
                })
            },
        )
    }
}

/// Opens a writer on `Path` (the write options). Record: `double` handle.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_writer(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                let path = input.entry_path()?.to_string();
                let opts = streaming_write_options(&op, input.write_options()?);
                unsupported::write(&op, &opts)?;
                boxed(async move {
                    let writer = StagedWriter::open(&op, &path, opts).await?;
                    Ok(Payload::Object(Object::writer(writer)))
                })
            },
        )
    }
}

/// Opens a lister on `Path` (options: recursive, startAfter, limit,
/// versions, deleted). Record: `double` handle.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_lister(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        operation(
            op,
            input,
            input_len,
            queue,
            ticket,
            out,
            out_cap,
            |op, input| {
                let path = input.path()?.to_string();
                let opts = input.list_options()?;
                unsupported::list(&op, &opts)?;
                boxed(async move {
                    let lister = op.lister_options(&path, opts).await?;
                    Ok(Payload::Object(Object::lister(lister)))
                })
            },
        )
    }
}

/// Which request `opendal_operator_presign` signs.
#[repr(u32)]
pub enum PresignKind {
    Read = 0,
    Write = 1,
    Stat = 2,
    Delete = 3,
}

/// Presigns a request for `Path`, valid for `Expire` seconds. `kind` is a
/// `PresignKind`. Record: method, URL, header pairs. Services that cannot
/// presign answer `Unsupported`.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn opendal_operator_presign(
    op: Handle,
    kind: u32,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        unsafe {
            with_operator(op, input, input_len, |op, input| {
                let path = input.entry_path()?.to_string();
                let expire = input.expire("presign")?;
                if kind > PresignKind::Delete as u32 {
                    return Err(opendal::Error::new(
                        opendal::ErrorKind::ConfigInvalid,
                        format!("presign kind must be 0 to 3, got {kind}"),
                    ));
                }
                boxed(async move {
                    let req = match kind {
                        0 => op.presign_read(&path, expire).await,
                        1 => op.presign_write(&path, expire).await,
                        2 => op.presign_stat(&path, expire).await,
                        _ => op.presign_delete(&path, expire).await,
                    };
                    req.map(Payload::Presigned)
                })
            })
        }
    })
}

/// Writes `data` to `Path` (the write options). The bytes are copied once
/// before this returns, so the caller may reuse `data` at once. Record:
/// the metadata the service returned.
///
/// # Safety
/// `input`/`data` must point at `input_len`/`data_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn opendal_operator_write(
    op: Handle,
    input: *const u8,
    input_len: u32,
    data: *const u8,
    data_len: f64,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        unsafe {
            with_operator(op, input, input_len, |op, input| {
                let path = input.entry_path()?.to_string();
                let opts = input.write_options()?;
                unsupported::write(&op, &opts)?;
                let data = call::bytes(data, call::length(data_len, "data")?, "data")?;
                let buf = Buffer::from(data.to_vec());
                boxed(async move {
                    op.write_options(&path, buf, opts)
                        .await
                        .map(Payload::Metadata)
                })
            })
        }
    })
}

/// Streams `Path` of operator `op` into `Target` of operator `target` (any
/// service to any service) without the bytes leaving the library: the write
/// options apply to the target. Nothing is committed unless the whole copy
/// succeeds. Record: the target's metadata.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn opendal_operator_copy_to(
    op: Handle,
    target: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        unsafe {
            with_operator(op, input, input_len, |src, input| {
                let dst = objects::operator(target)?;
                let from = input.entry_path()?.to_string();
                let to = input.target()?.to_string();
                let opts = streaming_write_options(&dst, input.write_options()?);
                unsupported::write(&dst, &opts)?;
                boxed(async move {
                    refuse_same("copyTo", (&src, &from), (&dst, &to), true).await?;
                    let mut chunks = src.reader(&from).await?.into_stream(..).await?;
                    let mut writer = StagedWriter::open(&dst, &to, opts).await?;
                    while let Some(chunk) = chunks.next().await {
                        let step = match chunk {
                            Ok(buf) => writer.write(buf).await,
                            Err(e) => Err(e),
                        };
                        if let Err(e) = step {
                            // Best effort: leave nothing half-written behind.
                            let _ = writer.abort().await;
                            return Err(e);
                        }
                    }
                    writer.close().await.map(Payload::Metadata)
                })
            })
        }
    })
}
