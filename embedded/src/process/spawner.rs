//! The one thread every pod and exec process is started from.
//!
//! A process started with `setpriv --pdeathsig KILL` gets SIGKILL when the *thread* that forked it
//! exits, not only when kubegate does; runtime worker and blocking threads come and go, so processes are
//! forked here, on a thread that lives as long as kubegate. This thread is also where a pod gets its own
//! PID namespace: `unshare(CLONE_NEWPID)` moves only the calling thread's next children to a new
//! namespace, so the first child forked after it is the init of a fresh namespace and kubegate's direct
//! child, whose exit status kubegate reads itself. A `setns` back to kubegate's own namespace comes
//! before any other start.

use std::io;
use std::os::fd::OwnedFd;
use std::sync::OnceLock;
use std::sync::mpsc;

use nix::sched::CloneFlags;

/// Where a started process goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PidNamespace {
    /// kubegate's own PID namespace.
    Own,
    /// A new PID namespace, whose init the started process is.
    New,
}

type Job = Box<dyn FnOnce(&mut Thread) + Send>;

/// What the spawner thread knows of the namespace its next child goes to.
struct Thread {
    /// kubegate's own PID namespace, to return to after a new one.
    own: Option<OwnedFd>,
    /// Whether the next child would go to the namespace made for an earlier one.
    unshared: bool,
}

impl Thread {
    fn prepare(&mut self, wanted: PidNamespace) -> io::Result<()> {
        if self.unshared {
            let own = self
                .own
                .as_ref()
                .ok_or_else(|| io::Error::other("kubegate's own PID namespace is unknown"))?;
            nix::sched::setns(own, CloneFlags::CLONE_NEWPID)
                .map_err(|e| io::Error::other(format!("setns(CLONE_NEWPID) back to kubegate's own: {e}")))?;
            self.unshared = false;
        }
        if wanted == PidNamespace::New {
            nix::sched::unshare(CloneFlags::CLONE_NEWPID)
                .map_err(|e| io::Error::other(format!("unshare(CLONE_NEWPID): {e}")))?;
            self.unshared = true;
        }
        Ok(())
    }
}

fn sender() -> &'static mpsc::Sender<Job> {
    static SENDER: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    SENDER.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        let run = move || {
            let own = std::fs::File::open("/proc/thread-self/ns/pid").ok().map(OwnedFd::from);
            let mut thread = Thread { own, unshared: false };
            for job in receiver {
                // A panicking job must not end this thread: every process it started would get SIGKILL.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut thread)));
            }
        };
        // If the thread cannot start, the receiver is dropped and every start reports it.
        let _ = std::thread::Builder::new().name("kubegate-spawner".into()).spawn(run);
        sender
    })
}

fn submit<T: Send + 'static>(
    namespace: PidNamespace,
    start: impl FnOnce() -> io::Result<T> + Send + 'static,
    reply: impl FnOnce(io::Result<T>) + Send + 'static,
) -> io::Result<()> {
    let job: Job = Box::new(move |thread| reply(thread.prepare(namespace).and_then(|()| start())));
    sender().send(job).map_err(|_| io::Error::other("the thread that starts pod processes is gone"))
}

/// Runs `start` (which starts processes) on the spawner thread, inside the caller's tokio runtime, so
/// that the children it returns are awaited there.
pub async fn start<T: Send + 'static>(
    namespace: PidNamespace,
    start: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let in_runtime = move || {
        let _entered = runtime.enter();
        start()
    };
    submit(namespace, in_runtime, move |result| {
        // The caller may have gone: a child in the dropped result is then killed (kill_on_drop).
        let _ = tx.send(result);
    })?;
    rx.await.map_err(|_| io::Error::other("the thread that starts pod processes dropped a start"))?
}

/// Runs `start` on the spawner thread and waits for it, outside any runtime (the probe at start-up).
pub fn start_blocking<T: Send + 'static>(
    namespace: PidNamespace,
    start: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    let (tx, rx) = mpsc::channel();
    submit(namespace, start, move |result| {
        let _ = tx.send(result);
    })?;
    rx.recv().map_err(|_| io::Error::other("the thread that starts pod processes dropped a start"))?
}
