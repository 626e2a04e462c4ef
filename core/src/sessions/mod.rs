//! Interactive exec sessions that survive a disconnect. A session owns the remote process; clients come
//! and go. Output goes into a bounded buffer with offsets: while a client is attached, a slow client slows
//! the remote process (backpressure); while none is, the oldest output is dropped and a reattaching client
//! is told exactly how much it lost. A session left alone longer than its grace period is ended.

mod client;
mod drive;
mod session;
mod start;

pub use session::{Session, Sessions};
pub use start::{reattach, start};
