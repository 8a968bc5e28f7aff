//! The native objects that live in the handle table, and typed lookups that
//! turn a wrong, stale or closed handle into a clear `ConfigInvalid` error.

use std::sync::{Arc, LazyLock};

use opendal::{Error, ErrorKind, Lister, Operator, Result, Writer};
use tokio::sync::Mutex as AsyncMutex;

use crate::handles::{Handle, Miss, Table, random_tag};
use crate::layers::Layer;
use crate::queue::Queue;
use crate::ranges::RangeReader;

/// A writer is used by one call at a time; `None` once closed or aborted.
pub type SharedWriter = Arc<AsyncMutex<Option<Writer>>>;
/// A lister hands out batches to one call at a time.
pub type SharedLister = Arc<AsyncMutex<Lister>>;

/// Every kind of object a handle can name.
#[derive(Clone)]
pub enum Object {
    Operator(Operator),
    Reader(Arc<RangeReader>),
    Writer(SharedWriter),
    Lister(SharedLister),
    Queue(Arc<Queue>),
    Layer(Arc<Layer>),
}

impl Object {
    /// The object's kind, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Object::Operator(_) => "operator",
            Object::Reader(_) => "reader",
            Object::Writer(_) => "writer",
            Object::Lister(_) => "lister",
            Object::Queue(_) => "queue",
            Object::Layer(_) => "layer",
        }
    }
}

/// The table of every native object of this library instance.
pub static OBJECTS: LazyLock<Table<Object>> = LazyLock::new(|| Table::new(random_tag()));

/// Stores `object` and returns its handle.
pub fn insert(object: Object) -> Result<Handle> {
    OBJECTS.insert(object).ok_or_else(|| {
        Error::new(
            ErrorKind::Unexpected,
            "too many open handles: close operators, readers, writers and listers you no longer use",
        )
    })
}

/// The error for a handle that names no live object.
pub fn missing(handle: Handle, expected: &str, miss: Miss) -> Error {
    let message = match miss {
        Miss::Dead => format!("invalid {expected} handle {handle}: it was closed, or never existed"),
        Miss::Foreign => format!(
            "invalid {expected} handle {handle}: it was not made by this copy of the native \
             library (instance {}); objects cannot cross between two loaded copies",
            OBJECTS.tag()
        ),
    };
    Error::new(ErrorKind::ConfigInvalid, message)
}

fn lookup(handle: Handle, expected: &'static str) -> Result<Object> {
    OBJECTS.get(handle).map_err(|miss| missing(handle, expected, miss))
}

fn wrong_kind(handle: Handle, expected: &'static str, found: &Object) -> Error {
    Error::new(
        ErrorKind::ConfigInvalid,
        format!(
            "handle {handle} is {}, not {}",
            with_article(found.kind_name()),
            with_article(expected)
        ),
    )
}

fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

macro_rules! typed_lookup {
    ($name:ident, $variant:ident, $ty:ty, $label:literal) => {
        #[doc = concat!("The ", $label, " behind `handle`.")]
        pub fn $name(handle: Handle) -> Result<$ty> {
            match lookup(handle, $label)? {
                Object::$variant(v) => Ok(v),
                other => Err(wrong_kind(handle, $label, &other)),
            }
        }
    };
}

typed_lookup!(operator, Operator, Operator, "operator");
typed_lookup!(reader, Reader, Arc<RangeReader>, "reader");
typed_lookup!(writer, Writer, SharedWriter, "writer");
typed_lookup!(lister, Lister, SharedLister, "lister");
typed_lookup!(queue, Queue, Arc<Queue>, "queue");
typed_lookup!(layer, Layer, Arc<Layer>, "layer");
