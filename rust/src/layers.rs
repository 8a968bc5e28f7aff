//! Layers as native objects: built once from validated options, applied to
//! any operator. A layer applied to several operators shares its state where
//! OpenDAL's does (one semaphore for a `ConcurrentLimitLayer`, one rate
//! limiter for a `ThrottleLayer`), because each application clones the same
//! built layer.

use std::time::Duration;

use opendal::layers::{
    CapabilityOverrideLayer, ChaosLayer, ConcurrentLimitLayer, LoggingLayer, MimeGuessLayer,
    RetryLayer, ThrottleLayer, TimeoutLayer,
};
use std::sync::Arc;

use opendal::{Operator, Result};

use crate::codes::LayerKind;
use crate::input::{Field, Input, Tag, invalid};
use crate::logs::{self, Capture};
use crate::options::layer_options;
use crate::queue::Queue;

/// A built layer, ready to wrap operators.
#[derive(Clone)]
pub enum Layer {
    Retry(RetryLayer),
    Timeout(TimeoutLayer),
    ConcurrentLimit(ConcurrentLimitLayer),
    MimeGuess(MimeGuessLayer),
    Throttle(ThrottleLayer),
    Logging(LoggingLayer<Capture>),
    CapabilityOverride(CapabilityOverrideLayer),
    Chaos(ChaosLayer),
}

/// A duration in milliseconds: finite, not negative, and at least `min_ms`.
fn millis(f: Field<'_>, min_ms: f64) -> Result<Duration> {
    let ms = f.f64()?;
    if !ms.is_finite() || ms < min_ms || ms > 1e15 {
        return Err(invalid(format!(
            "{} must be a duration of at least {min_ms} ms, got {ms}",
            f.tag.name()
        )));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

/// A whole number in `1..=u32::MAX`.
fn positive_u32(f: Field<'_>) -> Result<u32> {
    let v = f.positive()?;
    u32::try_from(v).map_err(|_| invalid(format!("{} must be at most {}", f.tag.name(), u32::MAX)))
}

impl Layer {
    /// Builds a layer of `kind` from `input`, validating every option before
    /// OpenDAL sees it (its constructors assert). A `LoggingLayer` keeps its
    /// lines in `queue`.
    pub fn build(kind: u32, input: &Input<'_>, queue: &Arc<Queue>) -> Result<Layer> {
        use Tag::*;
        let (class, accepted) = layer_options(kind)
            .ok_or_else(|| invalid(format!("unknown layer kind {kind}")))?;
        input.only(class, accepted)?;
        Ok(match kind {
            k if k == LayerKind::Retry as u32 => {
                let mut l = RetryLayer::new();
                if let Some(f) = input.find(MaxTimes) {
                    l = l.with_max_times(usize::try_from(f.u64()?).unwrap_or(usize::MAX));
                }
                if let Some(f) = input.find(Factor) {
                    let factor = f.f64()?;
                    if !(factor.is_finite() && (1.0..=1e6).contains(&factor)) {
                        return Err(invalid(format!("factor must be at least 1, got {factor}")));
                    }
                    l = l.with_factor(factor as f32);
                }
                if input.find(Jitter).map(|f| f.bool()).transpose()? == Some(true) {
                    l = l.with_jitter();
                }
                let min = input.find(MinDelay).map(|f| millis(f, 0.0)).transpose()?;
                let max = input.find(MaxDelay).map(|f| millis(f, 0.0)).transpose()?;
                if let (Some(min), Some(max)) = (min, max)
                    && min > max
                {
                    return Err(invalid(format!(
                        "minDelay ({} ms) must not exceed maxDelay ({} ms)",
                        min.as_millis(),
                        max.as_millis()
                    )));
                }
                if let Some(d) = min {
                    l = l.with_min_delay(d);
                }
                if let Some(d) = max {
                    l = l.with_max_delay(d);
                }
                Layer::Retry(l)
            }
            k if k == LayerKind::Timeout as u32 => {
                let mut l = TimeoutLayer::new();
                if let Some(f) = input.find(Timeout) {
                    l = l.with_timeout(millis(f, 1.0)?);
                }
                if let Some(f) = input.find(IoTimeout) {
                    l = l.with_io_timeout(millis(f, 1.0)?);
                }
                Layer::Timeout(l)
            }
            k if k == LayerKind::ConcurrentLimit as u32 => {
                let permits = input
                    .find(Permits)
                    .ok_or_else(|| invalid("permits is required"))?
                    .positive()?;
                let mut l = ConcurrentLimitLayer::new(permits);
                if let Some(f) = input.find(HttpPermits) {
                    l = l.with_http_concurrent_limit(f.positive()?);
                }
                Layer::ConcurrentLimit(l)
            }
            k if k == LayerKind::MimeGuess as u32 => {
                Layer::MimeGuess(MimeGuessLayer::new())
            }
            k if k == LayerKind::Throttle as u32 => {
                let bandwidth = positive_u32(
                    input
                        .find(Bandwidth)
                        .ok_or_else(|| invalid("bandwidth is required"))?,
                )?;
                let burst = match input.find(Burst) {
                    Some(f) => positive_u32(f)?,
                    None => bandwidth,
                };
                Layer::Throttle(ThrottleLayer::new(bandwidth, burst))
            }
            k if k == LayerKind::Logging as u32 => {
                let level = match input.find(Level).map(|f| f.str()).transpose()? {
                    None | Some("info") => logs::INFO,
                    Some("debug") => logs::DEBUG,
                    Some("warn") => logs::WARN,
                    Some("error") => logs::ERROR,
                    Some(other) => {
                        return Err(invalid(format!(
                            "level must be debug, info, warn or error, got {other:?}"
                        )));
                    }
                };
                // The id the TypeScript side routes this layer's lines by.
                let sink = match input.find(Sink) {
                    Some(f) => u32::try_from(f.u64()?)
                        .map_err(|_| invalid(format!("sink must be at most {}", u32::MAX)))?,
                    None => 0,
                };
                Layer::Logging(LoggingLayer::new(Capture::new(sink, level, queue)))
            }
            k if k == LayerKind::CapabilityOverride as u32 => {
                let spec = input
                    .find(Overrides)
                    .ok_or_else(|| invalid("overrides is required"))?
                    .str()?;
                Layer::CapabilityOverride(CapabilityOverrideLayer::from_overrides(spec)?)
            }
            k if k == LayerKind::Chaos as u32 => {
                let ratio = input
                    .find(ErrorRatio)
                    .ok_or_else(|| invalid("errorRatio is required"))?
                    .f64()?;
                if !(0.0..=1.0).contains(&ratio) {
                    return Err(invalid(format!(
                        "errorRatio must be between 0 and 1, got {ratio}"
                    )));
                }
                Layer::Chaos(ChaosLayer::new(ratio))
            }
            other => return Err(invalid(format!("unknown layer kind {other}"))),
        })
    }

    /// A new operator: `op` wrapped in this layer.
    pub fn apply(&self, op: Operator) -> Operator {
        let limited = matches!(self, Layer::ConcurrentLimit(_)) || crate::limited::is_limited(&op);
        let op = match self.clone() {
            Layer::Retry(l) => op.layer(l),
            Layer::Timeout(l) => op.layer(l),
            Layer::ConcurrentLimit(l) => op.layer(l),
            Layer::MimeGuess(l) => op.layer(l),
            Layer::Throttle(l) => op.layer(l),
            Layer::Logging(l) => op.layer(l),
            Layer::CapabilityOverride(l) => op.layer(l),
            Layer::Chaos(l) => op.layer(l),
        };
        if limited {
            crate::limited::remember(&op);
        }
        op
    }
}
