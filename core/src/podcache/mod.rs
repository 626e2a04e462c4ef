//! Pods as one shared watch per namespace sees them (`cache`), handed to any number of watchers
//! (`fanout`), filtered by label selectors evaluated locally (`selector`). Reads in `pods` use it; it
//! knows nothing of the service's state.

mod cache;
pub(crate) mod fanout;
mod selector;
mod sent;

pub use cache::{Entry, Namespace, PodCache};
pub use selector::Selector;
