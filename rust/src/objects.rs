//! The native objects that live in the handle table, and typed lookups that
//! turn a wrong, stale or closed handle into a clear `ConfigInvalid` error.
//!
//! A queue is a root of the table; every other object belongs to the queue
//! it was made through, and goes when that queue closes.

use std::ops::Deref;
use std::sync::{Arc, LazyLock};

use opendal::{Composer, Copier, Deleter, Error, ErrorKind, Lister, Operator, Result};
use tokio::sync::Mutex as AsyncMutex;

use crate::handles::{Handle, Miss, Refused, Table, random_tag};
use crate::layers::Layer;
use crate::queue::Queue;
use crate::ranges::RangeReader;
use crate::runtime::runtime;
use crate::staged::StagedWriter;

/// A writer is used by one call at a time.
pub type SharedWriter = Arc<WriterCell>;
/// A lister hands out batches to one call at a time.
pub type SharedLister = Arc<AsyncMutex<Lister>>;
/// A deleter takes paths from one call at a time.
pub type SharedDeleter = Arc<DeleterCell>;

/// A deleter, `None` once closed, and the operator it deletes through
/// (whose capability its entries' options are checked against). Dropped
/// before `close`, it sends nothing more: paths it still holds are not
/// deleted.
pub struct DeleterCell {
    pub op: SharedOperator,
    pub deleter: AsyncMutex<Option<Deleter>>,
}

/// A composer, `None` once closed, and the operator it composes through
/// (whose capability its sources' options are checked against). Dropped
/// before `close`, it commits nothing.
pub struct ComposerCell {
    pub op: SharedOperator,
    pub composer: AsyncMutex<Option<Composer>>,
}

/// A copier, `None` once closed or aborted.
pub struct CopierCell(AsyncMutex<Option<Copier>>);

impl Deref for CopierCell {
    type Target = AsyncMutex<Option<Copier>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Drop for CopierCell {
    /// A copier let go before it completed is aborted in the background, so
    /// parts already copied (an S3 multipart copy) do not linger. Nothing
    /// was committed: the last step commits.
    fn drop(&mut self) {
        if let Some(mut copier) = self.0.get_mut().take() {
            runtime().spawn(async move {
                let _ = copier.abort().await;
            });
        }
    }
}

/// A writer, `None` once closed or aborted.
pub struct WriterCell(AsyncMutex<Option<StagedWriter>>);

impl Deref for WriterCell {
    type Target = AsyncMutex<Option<StagedWriter>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Drop for WriterCell {
    /// A writer let go before `close` or `abort` (its handle closed, its
    /// queue closed, its result never collected) is aborted in the
    /// background, so a multipart upload does not linger where the service
    /// can abort one. Nothing was committed either way.
    fn drop(&mut self) {
        if let Some(mut writer) = self.0.get_mut().take() {
            runtime().spawn(async move {
                let _ = writer.abort().await;
            });
        }
    }
}

/// An operator as the handle table keeps it: each call takes a clone, and
/// cloning an OpenDAL 0.59 `Operator` takes seven reference counts (its
/// service, context and layers), an `Arc` one.
pub type SharedOperator = Arc<Operator>;

/// Every kind of object a handle can name.
#[derive(Clone)]
pub enum Object {
    Operator(SharedOperator),
    Reader(Arc<RangeReader>),
    Writer(SharedWriter),
    Lister(SharedLister),
    Deleter(SharedDeleter),
    Copier(Arc<CopierCell>),
    Composer(Arc<ComposerCell>),
    Queue(Arc<Queue>),
    Layer(Arc<Layer>),
}

impl Object {
    /// A new reader object.
    pub fn reader(reader: RangeReader) -> Object {
        Object::Reader(Arc::new(reader))
    }

    /// A new writer object.
    pub fn writer(writer: StagedWriter) -> Object {
        Object::Writer(Arc::new(WriterCell(AsyncMutex::new(Some(writer)))))
    }

    /// A new lister object.
    pub fn lister(lister: Lister) -> Object {
        Object::Lister(Arc::new(AsyncMutex::new(lister)))
    }

    /// A new deleter object.
    pub fn deleter(op: SharedOperator, deleter: Deleter) -> Object {
        Object::Deleter(Arc::new(DeleterCell {
            op,
            deleter: AsyncMutex::new(Some(deleter)),
        }))
    }

    /// A new copier object.
    pub fn copier(copier: Copier) -> Object {
        Object::Copier(Arc::new(CopierCell(AsyncMutex::new(Some(copier)))))
    }

    /// A new composer object.
    pub fn composer(op: SharedOperator, composer: Composer) -> Object {
        Object::Composer(Arc::new(ComposerCell {
            op,
            composer: AsyncMutex::new(Some(composer)),
        }))
    }

    /// The object's kind, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Object::Operator(_) => "operator",
            Object::Reader(_) => "reader",
            Object::Writer(_) => "writer",
            Object::Lister(_) => "lister",
            Object::Deleter(_) => "deleter",
            Object::Copier(_) => "copier",
            Object::Composer(_) => "composer",
            Object::Queue(_) => "queue",
            Object::Layer(_) => "layer",
        }
    }
}

/// The table of every native object of this library instance.
pub static OBJECTS: LazyLock<Table<Object>> = LazyLock::new(|| Table::new(random_tag()));

/// Stores `object`, an object of the queue `owner` (a queue itself has
/// none), and returns its handle.
pub fn insert(object: Object, owner: Option<Handle>) -> Result<Handle> {
    OBJECTS.insert(object, owner).map_err(|refused| match refused {
        Refused::Full => Error::new(
            ErrorKind::Unexpected,
            "too many open handles: close operators, readers, writers, listers, deleters, copiers and composers you no longer use",
        ),
        Refused::OwnerGone => Error::new(
            ErrorKind::ConfigInvalid,
            "the queue was closed: nothing more can be made through it",
        ),
    })
}

/// Whether `handle` names a live object.
pub fn is_live(handle: Handle) -> bool {
    OBJECTS.get(handle).is_ok()
}

/// Releases the object behind `handle`. Operations already running on it
/// finish first: they hold their own reference. A queue is closed (its
/// running work aborted, its results dropped) and every object made through
/// it is released too.
pub fn close(handle: Handle) -> std::result::Result<(), Miss> {
    let (object, owned) = OBJECTS.remove(handle)?;
    if let Object::Queue(q) = &object {
        q.close();
    }
    // Dropped here, outside the table's lock.
    drop(owned);
    drop(object);
    Ok(())
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

typed_lookup!(operator, Operator, SharedOperator, "operator");
typed_lookup!(reader, Reader, Arc<RangeReader>, "reader");
typed_lookup!(writer, Writer, SharedWriter, "writer");
typed_lookup!(lister, Lister, SharedLister, "lister");
typed_lookup!(deleter, Deleter, SharedDeleter, "deleter");
typed_lookup!(copier, Copier, Arc<CopierCell>, "copier");
typed_lookup!(composer, Composer, Arc<ComposerCell>, "composer");
typed_lookup!(queue, Queue, Arc<Queue>, "queue");
typed_lookup!(layer, Layer, Arc<Layer>, "layer");
