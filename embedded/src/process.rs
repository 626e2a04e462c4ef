//! How a container's process is started on the host: its environment and working directory, the private
//! mount namespace that holds its volumes (`unshare` to create one, `nsenter` to join it), and how its
//! end is reported and forced.
//!
//! This is a leaf: it knows neither pods nor the API, so the kubelet, the volume planner and exec all
//! build on it without depending on each other.

use std::path::PathBuf;

use nix::sys::signal::Signal;
use serde_json::Value;
use tokio::process::Command;

/// One bind mount into a container's mount namespace.
#[derive(Debug, Clone)]
pub struct Mount {
    /// The directory on the host.
    pub source: PathBuf,
    /// The path inside the container.
    pub target: String,
    /// Whether it is mounted read-only.
    pub read_only: bool,
}

/// How to start a process in a container: environment, working directory, volume mounts.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    /// Environment variables, in order.
    pub env: Vec<(String, String)>,
    /// The working directory, if the container sets one.
    pub working_dir: Option<String>,
    /// The pid whose mount namespace holds the container's volumes, if it has one.
    pub mount_namespace_of: Option<i32>,
}

impl ProcessSpec {
    /// The spec of a container (its JSON from the pod spec) of the pod `pod_name`; processes join the
    /// mount namespace of `mount_namespace_of` when given.
    pub fn new(pod_name: &str, container: &Value, mount_namespace_of: Option<i32>) -> Self {
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
        Self { env, working_dir, mount_namespace_of }
    }

    /// The program, arguments and starting directory that run `argv` in the container: inside its mount
    /// namespace when it has one.
    pub fn invocation(&self, argv: &[String]) -> (String, Vec<String>, Option<String>) {
        match self.mount_namespace_of {
            Some(pid) => {
                let mut args = vec![format!("--mount=/proc/{pid}/ns/mnt"), "--".to_string()];
                if let Some(dir) = &self.working_dir {
                    args.extend(["sh", "-c", "cd \"$0\" && exec \"$@\""].map(str::to_string));
                    args.push(dir.clone());
                }
                args.extend(argv.iter().cloned());
                ("nsenter".to_string(), args, None)
            }
            None => (argv[0].clone(), argv[1..].to_vec(), self.working_dir.clone()),
        }
    }

    /// A command running `argv` in the container.
    pub fn command(&self, argv: &[String]) -> Command {
        let (program, args, dir) = self.invocation(argv);
        let mut command = Command::new(program);
        command.args(args).env_clear().envs(self.env.iter().map(|(k, v)| (k, v)));
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        command
    }

    /// A command that runs `argv` in a new private mount namespace with the mounts in place. Fails
    /// without root, which a new mount namespace needs.
    pub fn isolated_command(&self, mounts: &[Mount], argv: &[String]) -> Result<Command, String> {
        if !nix::unistd::geteuid().is_root() {
            return Err(
                "pods with volumes need a private mount namespace, which needs root on the embedded \
                        cluster's host; run kubegate as root or drop the volumes"
                    .into(),
            );
        }
        let mut script = String::from("set -e\n");
        for mount in mounts {
            let target = shell_quote(&mount.target);
            let source = shell_quote(&mount.source.to_string_lossy());
            script.push_str(&format!("mkdir -p {target}\nmount --bind {source} {target}\n"));
            if mount.read_only {
                script.push_str(&format!("mount -o remount,bind,ro {target}\n"));
            }
        }
        if let Some(dir) = &self.working_dir {
            script.push_str(&format!("cd {}\n", shell_quote(dir)));
        }
        script.push_str("exec \"$@\"\n");
        let mut command = Command::new("unshare");
        command
            .args(["--mount", "--propagation", "private", "--", "sh", "-c", &script, "container"])
            .args(argv)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        Ok(command)
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

/// Quotes a string for `sh`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
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
    fn a_container_with_volumes_is_entered_through_its_mount_namespace() {
        let argv = ["ls".to_string(), "-l".to_string()];
        let plain = ProcessSpec::new("pod", &json!({"workingDir": "/w"}), None);
        assert_eq!(plain.invocation(&argv), ("ls".into(), vec!["-l".into()], Some("/w".into())));
        let entered = ProcessSpec::new("pod", &json!({"workingDir": "/w"}), Some(42));
        let (program, args, dir) = entered.invocation(&argv);
        assert_eq!((program.as_str(), dir), ("nsenter", None));
        assert_eq!(args[0], "--mount=/proc/42/ns/mnt");
        assert_eq!(&args[args.len() - 3..], ["/w", "ls", "-l"]);
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
