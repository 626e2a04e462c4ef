//! How a container's process is started on the host and how its end is reported and forced: its
//! environment and working directory, its sandbox (`sandbox`: PID and mount namespaces with its volumes,
//! entered by execs), and the thread every process is started from (`spawner`), so that nothing
//! outlives kubegate.
//!
//! This is a leaf: it knows neither pods nor the API, so the kubelet, the volume planner and exec all
//! build on it without depending on each other.

mod sandbox;
mod spawner;

use nix::sys::signal::Signal;
use serde_json::Value;
use tokio::process::Command;

pub use sandbox::{Confinement, Hidden, Launch, Mount, POD_UID, confinement};
pub use spawner::PidNamespace;

/// How to start a process in a container: environment, working directory, and the sandbox to enter.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    /// Environment variables, in order.
    pub env: Vec<(String, String)>,
    /// The working directory, if the container sets one.
    pub working_dir: Option<String>,
    /// The init (host pid) of the container's sandbox, which execs enter, if it runs in one.
    pub enter: Option<i32>,
}

impl ProcessSpec {
    /// The spec of a container (its JSON from the pod spec) of the pod `pod_name`; execs enter the
    /// sandbox whose init is `enter` when given.
    pub fn new(pod_name: &str, container: &Value, enter: Option<i32>) -> Self {
        let mut env = vec![
            (
                "PATH".to_string(),
                std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into()),
            ),
            ("HOSTNAME".to_string(), pod_name.to_string()),
            ("HOME".to_string(), std::env::var("HOME").unwrap_or_else(|_| "/root".into())),
        ];
        for var in container["env"].as_array().cloned().unwrap_or_default() {
            let name = var["name"].as_str().unwrap_or_default().to_string();
            let value = expand(var["value"].as_str().unwrap_or_default(), &env);
            env.retain(|(n, _)| n != &name);
            env.push((name, value));
        }
        let working_dir = container["workingDir"].as_str().filter(|w| !w.is_empty()).map(str::to_string);
        Self { env, working_dir, enter }
    }

    /// The program, arguments and starting directory of an exec running `argv` in the container:
    /// inside its sandbox when it has one. A terminal exec (`tty`) joins the sandbox's mount and user
    /// namespaces but not its PID namespace: its pty's foreground process group belongs to the process
    /// that opened it, outside, and a shell that cannot see that group when it exits (dash restores it)
    /// fails with "Cannot set tty process group" and exit status 2 instead of its own.
    pub fn invocation(&self, argv: &[String], tty: bool) -> (String, Vec<String>, Option<String>) {
        let mut full = sandbox::exec_argv(confinement(), self.enter, self.working_dir.as_deref(), argv, !tty);
        let program = full.remove(0);
        let dir = if self.enter.is_some() { None } else { self.working_dir.clone() };
        (program, full, dir)
    }

    /// The command that starts the container's own process running `argv` with `mounts` in place and
    /// `hidden` out of sight, and how to start it. The error (volumes this host cannot place, or that
    /// would undo the hiding) is the container's waiting message.
    pub fn container_command(
        &self,
        mounts: &[Mount],
        hidden: &Hidden,
        argv: &[String],
    ) -> Result<(Command, Launch), String> {
        let (full, launch) =
            sandbox::container_argv(confinement(), mounts, hidden, self.working_dir.as_deref(), argv)?;
        let mut command = sandbox::command(&full, &self.env);
        if let (false, Some(dir)) = (launch.sandboxed, &self.working_dir) {
            command.current_dir(dir);
        }
        Ok((command, launch))
    }
}

/// Starts a command from the spawner thread, in the PID namespace asked for (see `spawner`).
pub async fn spawn(mut command: Command, namespace: PidNamespace) -> std::io::Result<tokio::process::Child> {
    spawner::start(namespace, move || command.spawn()).await
}

/// Starts a command on a pty from the spawner thread, in kubegate's own PID namespace.
pub async fn spawn_pty(
    command: pty_process::Command,
    pts: pty_process::Pts,
) -> std::io::Result<tokio::process::Child> {
    spawner::start(PidNamespace::Own, move || command.spawn(pts).map_err(std::io::Error::other)).await
}

/// A container's running process, as the kubelet stops it and execs find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    /// Its host pid; the leader of its process group, and the init of its sandbox when it has one.
    pub pid: i32,
    /// Whether it is the init of a sandbox (PID namespace).
    pub sandboxed: bool,
}

impl Running {
    /// Asks the container to stop, as SIGTERM does to a process. The kernel drops a SIGTERM sent to the
    /// init of a PID namespace unless the init handles or ignores it; a process that did neither would
    /// die of it, so a sandbox init that did neither gets SIGKILL instead, which is what its SIGTERM
    /// would have done.
    pub fn terminate(&self) {
        signal_group(self.pid, Signal::SIGTERM);
        if self.sandboxed && sigterm_is_default(self.pid) {
            signal_group(self.pid, Signal::SIGKILL);
        }
    }

    /// Kills the container's process group; for a sandbox init, the kernel then kills everything else in
    /// its PID namespace.
    pub fn kill(&self) {
        signal_group(self.pid, Signal::SIGKILL);
    }

    /// Whether a sandbox init has finished setting up and become the container's command: it then runs
    /// in its own user namespace (or as [`POD_UID`]). An exec joining it earlier would find half a
    /// sandbox.
    pub fn ready(&self) -> bool {
        let confinement = confinement();
        if !self.sandboxed || !confinement.unprivileged {
            return true;
        }
        if confinement.user_namespace {
            let theirs = std::fs::read_link(format!("/proc/{}/ns/user", self.pid));
            let ours = std::fs::read_link("/proc/self/ns/user");
            return matches!((theirs, ours), (Ok(theirs), Ok(ours)) if theirs != ours);
        }
        let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", self.pid)) else { return false };
        status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .is_some_and(|ids| ids.split_whitespace().next() == Some(POD_UID.to_string().as_str()))
    }

    /// Waits (up to five seconds) for [`Running::ready`].
    pub async fn wait_ready(&self) -> bool {
        for _ in 0..1000 {
            if self.ready() {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        false
    }
}

/// Whether a process neither handles nor ignores SIGTERM (from `/proc/<pid>/status`). False when that
/// cannot be read: the process is gone, or a SIGKILL after the grace period will do.
fn sigterm_is_default(pid: i32) -> bool {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else { return false };
    let mask = |field: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
    };
    let bit = 1u64 << (Signal::SIGTERM as u32 - 1);
    match (mask("SigCgt:"), mask("SigIgn:")) {
        (Some(caught), Some(ignored)) => caught & bit == 0 && ignored & bit == 0,
        _ => false,
    }
}

/// Expands `$(NAME)` references to earlier variables, as Kubernetes does.
fn expand(value: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match env.iter().rev().find(|(n, _)| n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 3 + end]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The exit code a kubelet reports: the status, or 128 + the signal that ended the process.
pub fn exit_code(status: Option<std::process::ExitStatus>) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    match status {
        Some(s) => s.code().unwrap_or_else(|| 128 + s.signal().unwrap_or(9)),
        None => 137,
    }
}

/// Sends `signal` to the process group led by `pid`. Every container process and exec is started as the
/// leader of its own group, so that what it leaves behind goes with it. An error (the group is already
/// gone) is of no interest to any caller. A pid that is not positive is never a process we started:
/// `killpg(0)` would signal kubegate's own group and a negative one some other process, so nothing is sent.
pub fn signal_group(pid: i32, signal: Signal) {
    if pid <= 0 {
        return;
    }
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), signal);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env_of(spec: &ProcessSpec, name: &str) -> Option<String> {
        spec.env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn env_references_expand_to_earlier_variables_only() {
        let container = json!({"env": [
            {"name": "A", "value": "one"},
            {"name": "B", "value": "$(A)-two-$(C)"},
            {"name": "C", "value": "three"},
            {"name": "D", "value": "open $(A"},
        ]});
        let spec = ProcessSpec::new("pod", &container, None);
        assert_eq!(env_of(&spec, "B").as_deref(), Some("one-two-$(C)"));
        assert_eq!(env_of(&spec, "D").as_deref(), Some("open $(A"));
        assert_eq!(env_of(&spec, "HOSTNAME").as_deref(), Some("pod"));
    }

    #[test]
    fn sigterm_of_this_process_is_at_its_default() {
        assert!(sigterm_is_default(i32::try_from(std::process::id()).expect("pid")));
        assert!(!sigterm_is_default(-1), "an unreadable status is not a default");
    }

    #[tokio::test]
    async fn an_unknown_pid_is_never_signalled_as_a_process_group() {
        use tokio::signal::unix::{SignalKind, signal};
        // SIGWINCH is ignored by default, so the rest of this process group (cargo) does not mind it.
        let mut winch = signal(SignalKind::window_change()).expect("listen for SIGWINCH");
        signal_group(0, Signal::SIGWINCH);
        let received = tokio::time::timeout(std::time::Duration::from_millis(300), winch.recv()).await;
        assert!(received.is_err(), "pid 0 signalled the caller's own process group");
        nix::sys::signal::kill(nix::unistd::getpid(), Signal::SIGWINCH).expect("kill");
        let control = tokio::time::timeout(std::time::Duration::from_secs(5), winch.recv()).await;
        assert!(control.is_ok(), "the listener hears a SIGWINCH sent to this process");
    }

    #[test]
    fn a_process_ended_by_a_signal_reports_128_plus_the_signal() {
        use std::os::unix::process::ExitStatusExt as _;
        assert_eq!(exit_code(Some(std::process::ExitStatus::from_raw(3 << 8))), 3);
        assert_eq!(exit_code(Some(std::process::ExitStatus::from_raw(15))), 143);
        assert_eq!(exit_code(None), 137);
    }
}
