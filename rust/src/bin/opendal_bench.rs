//! The floor for `bench/compare.ts`: the same workloads, done with the
//! OpenDAL crate directly, printing one JSON line per result.
//!
//! ```text
//! opendal_bench --service memory --op read --size 4096 --in-flight sync --duration-ms 60
//! opendal_bench --service fs --opt root=/tmp/x --op list --entries 10000 --in-flight 64 --count 640
//! ```
//!
//! - `--service SCHEME` and any number of `--opt KEY=VALUE`: the operator,
//!   built with `Operator::via_iter` as the module builds it. (S3 and the
//!   other services need nothing more than their options.)
//! - `--op stat|read|write|list`, `--size BYTES` (the file stated, read or
//!   written), `--entries N` (the directory listed), `--path P` (default
//!   `raw/<op>-<size>`; a directory for list).
//! - `--in-flight sync`: each operation is `runtime.block_on(...)` on this
//!   thread, as the module's blocking calls run (`rust/src/call.rs`).
//!   `--in-flight N`: batches of N operations spawned on the multi-thread
//!   runtime and awaited together, as `Promise.all` awaits a batch.
//! - `--count N` runs exactly N operations (no warm-up); `--duration-ms D`
//!   warms up (at least 4 batches), then runs about D milliseconds of
//!   operations.
//!
//! Each operation moves the payload across once, as the module must: a read
//! copies the result into a `Vec` the caller owns, and a write copies the
//! caller's bytes into the `Buffer` OpenDAL takes (the caller keeps and
//! reuses its own, as JavaScript does).
//!
//! Output: `{"service", "op", "size", "entries", "in_flight", "count",
//! "us_per_op", "rss_kib", "peak_rss_kib"}`; `rss_kib` is VmRSS once the
//! operator and its files are ready, `peak_rss_kib` is VmHWM at the end.

use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use opendal::{Buffer, ErrorKind, Operator, Result};
use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinSet;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Stat,
    Read,
    Write,
    List,
}

/// How many operations run, or for how long.
enum Amount {
    Count(usize),
    Duration(Duration),
}

struct Args {
    service: String,
    options: Vec<(String, String)>,
    op: Op,
    size: usize,
    entries: usize,
    path: Option<String>,
    /// 0 means sync.
    in_flight: usize,
    amount: Amount,
}

const USAGE: &str = "usage: opendal_bench --service SCHEME [--opt KEY=VALUE]... \
--op stat|read|write|list [--size BYTES] [--entries N] [--path P] \
--in-flight sync|N (--count N | --duration-ms D)";

fn parse_args() -> std::result::Result<Args, String> {
    let mut args = Args {
        service: String::new(),
        options: Vec::new(),
        op: Op::Stat,
        size: 16,
        entries: 10_000,
        path: None,
        in_flight: 0,
        amount: Amount::Duration(Duration::from_millis(100)),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--service" => args.service = value.clone(),
            "--opt" => {
                let (k, v) = value.split_once('=').ok_or("--opt takes KEY=VALUE")?;
                args.options.push((k.into(), v.into()));
            }
            "--op" => args.op = parse_op(&value)?,
            "--size" => args.size = number()?,
            "--entries" => args.entries = number()?,
            "--path" => args.path = Some(value.clone()),
            "--in-flight" if value == "sync" => args.in_flight = 0,
            "--in-flight" => args.in_flight = number()?.max(1),
            "--count" => args.amount = Amount::Count(number()?),
            "--duration-ms" => {
                args.amount = Amount::Duration(Duration::from_millis(number()? as u64))
            }
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if args.service.is_empty() {
        return Err("--service is required".into());
    }
    Ok(args)
}

fn parse_op(name: &str) -> std::result::Result<Op, String> {
    Ok(match name {
        "stat" => Op::Stat,
        "read" => Op::Read,
        "write" => Op::Write,
        "list" => Op::List,
        _ => return Err(format!("unknown op {name}")),
    })
}

/// What one operation needs; cheap to clone into each spawned task.
#[derive(Clone)]
struct Job {
    op: Operator,
    kind: Op,
    path: Arc<str>,
    data: Arc<[u8]>,
    /// The entries a listing must return (OpenDAL may add the directory).
    entries: usize,
}

impl Job {
    /// Where the `slot`-th of several concurrent operations works: writes in
    /// flight go to distinct files, as they do in `bench/compare.ts`.
    fn path(&self, slot: usize) -> String {
        match self.kind {
            Op::Write if slot > 0 => format!("{}-{slot}", self.path),
            _ => self.path.to_string(),
        }
    }

    /// One operation, checked. A read returns its bytes, so that a batch
    /// holds all of them until it is done, as `Promise.all` does.
    async fn run(&self, slot: usize) -> Result<Vec<u8>> {
        let path = self.path(slot);
        match self.kind {
            Op::Stat => {
                let len = self.op.stat(&path).await?.content_length() as usize;
                expect_len(len, self.data.len()).map(|_| Vec::new())
            }
            Op::Read => {
                // The one copy out, into memory the caller owns.
                let bytes = self.op.read(&path).await?.to_vec();
                expect_len(bytes.len(), self.data.len()).map(|_| bytes)
            }
            Op::Write => {
                // The one copy in: the caller keeps its own bytes.
                let buf = Buffer::from(self.data.to_vec());
                self.op.write(&path, buf).await.map(|_| Vec::new())
            }
            Op::List => {
                let n = self.op.list(&path).await?.len();
                if n == self.entries || n == self.entries + 1 {
                    Ok(Vec::new())
                } else {
                    Err(unexpected(format!(
                        "listed {n} entries, expected {}",
                        self.entries
                    )))
                }
            }
        }
    }
}

fn unexpected(msg: String) -> opendal::Error {
    opendal::Error::new(ErrorKind::Unexpected, msg)
}

fn expect_len(got: usize, want: usize) -> Result<()> {
    if got == want {
        Ok(())
    } else {
        Err(unexpected(format!("got {got} bytes, expected {want}")))
    }
}

/// The bytes `bench/compare.ts` writes: a recognisable pattern.
fn pattern(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 31 + size) as u8).collect()
}

/// Makes sure what the job reads or lists exists (kept on disk between runs:
/// a file of the right size, or a directory with enough entries).
async fn prepare(job: &Job) -> Result<()> {
    match job.kind {
        Op::Stat | Op::Read => {
            let ready = match job.op.stat(&job.path).await {
                Ok(m) => m.content_length() as usize == job.data.len(),
                Err(e) if e.kind() == ErrorKind::NotFound => false,
                Err(e) => return Err(e),
            };
            if !ready {
                job.op.write(&job.path, job.data.to_vec()).await?;
            }
        }
        Op::Write => {}
        Op::List => {
            let listed = match job.op.list(&job.path).await {
                Ok(entries) => entries.len(),
                Err(e) if e.kind() == ErrorKind::NotFound => 0,
                Err(e) => return Err(e),
            };
            if listed < job.entries {
                for i in 0..job.entries {
                    job.op
                        .write(&format!("{}f{i:05}", job.path), Buffer::new())
                        .await?;
                }
            }
        }
    }
    Ok(())
}

/// Runs `count` operations (a multiple of `in_flight` when async).
fn run_ops(rt: &Runtime, job: &Job, in_flight: usize, count: usize) -> Result<()> {
    if in_flight == 0 {
        for _ in 0..count {
            black_box(rt.block_on(job.run(0))?);
        }
        return Ok(());
    }
    rt.block_on(async {
        for _ in 0..count / in_flight {
            let mut batch = JoinSet::new();
            for slot in 0..in_flight {
                let job = job.clone();
                batch.spawn(async move { job.run(slot).await });
            }
            let mut results = Vec::with_capacity(in_flight);
            while let Some(done) = batch.join_next().await {
                results.push(done.map_err(|e| unexpected(format!("task failed: {e}")))??);
            }
            black_box(results);
        }
        Ok(())
    })
}

fn timed(rt: &Runtime, job: &Job, in_flight: usize, count: usize) -> Result<Duration> {
    let start = Instant::now();
    run_ops(rt, job, in_flight, count)?;
    Ok(start.elapsed())
}

/// Batches a fresh process runs before it is timed, at the least: its first
/// operations fault its heap in (a 64 MiB fs read takes 58 ms for the first
/// two, 37 ms from then on).
const MIN_WARM_UP: usize = 4;

/// Warms up (doubling until a quarter of `target` passes, and at least
/// `MIN_WARM_UP` batches ran), then returns how many operations fill
/// `target`, in whole batches.
fn calibrate(rt: &Runtime, job: &Job, in_flight: usize, target: Duration) -> Result<usize> {
    let unit = in_flight.max(1);
    let mut count = unit;
    let mut warmed = 0;
    loop {
        let elapsed = timed(rt, job, in_flight, count)?;
        warmed += count;
        let long_enough = elapsed * 4 >= target;
        if long_enough && warmed >= MIN_WARM_UP * unit {
            let fill = target.as_secs_f64() * count as f64 / elapsed.as_secs_f64();
            return Ok(((fill / unit as f64).ceil() as usize).max(1) * unit);
        }
        if !long_enough {
            count *= 2;
        }
    }
}

/// A `/proc/self/status` field in KiB (0 where there is none).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn bench(args: &Args) -> Result<String> {
    // The runtime the module uses (rust/src/runtime.rs).
    opendal::install_default();
    let rt = Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| unexpected(e.to_string()))?;
    let op = Operator::via_iter(&args.service, args.options.clone())?;
    let name = ["stat", "read", "write", "list"][args.op as usize];
    let default_path = match args.op {
        Op::List => format!("raw/list-{}/", args.entries),
        _ => format!("raw/{name}-{}", args.size),
    };
    let job = Job {
        op,
        kind: args.op,
        path: args.path.clone().unwrap_or(default_path).into(),
        data: pattern(args.size).into(),
        entries: args.entries,
    };
    rt.block_on(prepare(&job))?;
    let rss = status_kib("VmRSS");
    let count = match args.amount {
        Amount::Count(n) => n.div_ceil(args.in_flight.max(1)) * args.in_flight.max(1),
        Amount::Duration(d) => calibrate(&rt, &job, args.in_flight, d)?,
    };
    let elapsed = timed(&rt, &job, args.in_flight, count)?;
    if args.op == Op::Write {
        let size = rt.block_on(job.op.stat(&job.path))?.content_length() as usize;
        expect_len(size, args.size)?;
    }
    let in_flight = match args.in_flight {
        0 => "\"sync\"".to_string(),
        n => n.to_string(),
    };
    Ok(format!(
        "{{\"service\":\"{}\",\"op\":\"{name}\",\"size\":{},\"entries\":{},\"in_flight\":{in_flight},\
\"count\":{count},\"us_per_op\":{:.4},\"rss_kib\":{rss},\"peak_rss_kib\":{}}}",
        args.service,
        args.size,
        args.entries,
        elapsed.as_secs_f64() * 1e6 / count as f64,
        status_kib("VmHWM"),
    ))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match bench(&args) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("opendal_bench: {e}");
            ExitCode::FAILURE
        }
    }
}
