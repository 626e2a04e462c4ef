//! How far this host lets container processes be confined (found once, the first time it is asked),
//! and the commands that start a container in its sandbox and an exec inside it.
//!
//! With root, each container is the init of its own PID namespace (started by the spawner thread, see
//! `spawner`) with its own mount namespace and `/proc`, and is started through
//! `setpriv --pdeathsig KILL`: when kubegate dies, the init gets SIGKILL and the kernel kills everything
//! else in its namespace, however deep. An exec joins the namespaces of the init with `nsenter`, so it
//! dies with the container too. Without root, processes run as they are, each with only the parent
//! death signal, and volumes (which need a mount namespace) are refused.

use std::path::PathBuf;
use std::sync::OnceLock;

use tokio::process::Command;

use super::spawner::{self, PidNamespace};

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

/// What this host allows, and what it does not with the exact error.
#[derive(Debug, Clone, Default)]
pub struct Confinement {
    /// `setpriv --pdeathsig` works: a started process gets SIGKILL when kubegate dies.
    pub parent_death_signal: bool,
    /// Each container can be the init of its own PID and mount namespaces.
    pub namespaces: bool,
    /// What could not be done, each with the command or call that failed and its error.
    pub missing: Vec<String>,
}

/// The confinement of this host, probed the first time it is asked for.
pub fn confinement() -> &'static Confinement {
    static CONFINEMENT: OnceLock<Confinement> = OnceLock::new();
    CONFINEMENT.get_or_init(probe)
}

/// Runs a probe command to its end on the spawner thread; the error says what failed and why.
fn probe_command(namespace: PidNamespace, argv: &[&str]) -> Result<(), String> {
    let owned: Vec<String> = argv.iter().map(|a| (*a).to_string()).collect();
    let output = spawner::start_blocking(namespace, move || {
        std::process::Command::new(&owned[0])
            .args(&owned[1..])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .output()
    });
    match output {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => Err(format!(
            "`{}` failed ({}): {}",
            argv.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(e) => Err(format!("`{}` could not start: {e}", argv.join(" "))),
    }
}

fn probe() -> Confinement {
    let mut found = Confinement::default();
    match probe_command(PidNamespace::Own, &["setpriv", "--pdeathsig", "KILL", "--", "true"]) {
        Ok(()) => found.parent_death_signal = true,
        Err(e) => found.missing.push(format!("processes do not die with kubegate: {e}")),
    }
    let mut sandbox = vec!["setpriv", "--pdeathsig", "KILL", "--"];
    sandbox.extend(NAMESPACES);
    sandbox.push("true");
    if found.parent_death_signal {
        match probe_command(PidNamespace::New, &sandbox) {
            Ok(()) => found.namespaces = true,
            Err(e) => {
                found.missing.push(format!("containers share kubegate's PID and mount namespaces: {e}"))
            }
        }
    }
    found
}

/// The `unshare` that gives the init of a new PID namespace its own mount namespace and `/proc`.
const NAMESPACES: [&str; 6] = ["unshare", "--mount", "--propagation", "private", "--mount-proc", "--"];

/// How a container process is started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Launch {
    /// Where the process goes: the init of a new PID namespace when sandboxed.
    pub namespace: PidNamespace,
    /// Whether it runs in a sandbox that execs enter and that dies with its init.
    pub sandboxed: bool,
}

/// Quotes a string for `sh`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The script that places the container's mounts and working directory before it becomes the command.
fn setup_script(mounts: &[Mount], working_dir: Option<&str>) -> String {
    let mut script = String::from("set -e\n");
    for mount in mounts {
        let target = shell_quote(&mount.target);
        let source = shell_quote(&mount.source.to_string_lossy());
        script.push_str(&format!("mkdir -p {target}\nmount --bind {source} {target}\n"));
        if mount.read_only {
            script.push_str(&format!("mount -o remount,bind,ro {target}\n"));
        }
    }
    if let Some(dir) = working_dir {
        script.push_str(&format!("cd {}\n", shell_quote(dir)));
    }
    script.push_str("exec \"$@\"\n");
    script
}

/// The program and arguments that start a container running `argv`, and how to start them. Without a
/// sandbox the working directory is the caller's to set; volumes then cannot be placed (the error is
/// the container's waiting message).
pub fn container_argv(
    confinement: &Confinement,
    mounts: &[Mount],
    working_dir: Option<&str>,
    argv: &[String],
) -> Result<(Vec<String>, Launch), String> {
    let mut out: Vec<String> = Vec::new();
    if confinement.parent_death_signal {
        out.extend(["setpriv", "--pdeathsig", "KILL", "--"].map(str::to_string));
    }
    if !confinement.namespaces {
        if !mounts.is_empty() {
            return Err(format!(
                "pods with volumes need their own mount namespace, which this host does not give: {}",
                confinement.missing.join("; ")
            ));
        }
        out.extend(argv.iter().cloned());
        return Ok((out, Launch { namespace: PidNamespace::Own, sandboxed: false }));
    }
    out.extend(NAMESPACES.map(str::to_string));
    if !mounts.is_empty() || working_dir.is_some() {
        out.extend([
            "sh".to_string(),
            "-c".to_string(),
            setup_script(mounts, working_dir),
            "container".into(),
        ]);
    }
    out.extend(argv.iter().cloned());
    Ok((out, Launch { namespace: PidNamespace::New, sandboxed: true }))
}

/// The program and arguments of an exec running `argv` in a container: inside the sandbox whose init
/// is `enter` when it has one. Without a sandbox the working directory is the caller's to set.
pub fn exec_argv(
    confinement: &Confinement,
    enter: Option<i32>,
    working_dir: Option<&str>,
    argv: &[String],
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if confinement.parent_death_signal {
        out.extend(["setpriv", "--pdeathsig", "KILL", "--"].map(str::to_string));
    }
    if let Some(pid) = enter {
        out.extend(["nsenter".to_string(), format!("--target={pid}"), "--mount".into(), "--pid".into()]);
        out.push("--".into());
        if let Some(dir) = working_dir {
            out.extend(["sh", "-c", "cd \"$0\" && exec \"$@\""].map(str::to_string));
            out.push(dir.to_string());
        }
    }
    out.extend(argv.iter().cloned());
    out
}

/// A tokio command running `argv` (program first) with exactly `env`.
pub fn command(argv: &[String], env: &[(String, String)]) -> Command {
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]).env_clear().envs(env.iter().map(|(k, v)| (k, v)));
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn a_sandboxed_container_is_the_init_of_new_namespaces_and_dies_with_kubegate() {
        let full = Confinement { parent_death_signal: true, namespaces: true, missing: vec![] };
        let (argv, launch) = container_argv(&full, &[], None, &strings(&["sleep", "1"])).expect("argv");
        assert_eq!(launch, Launch { namespace: PidNamespace::New, sandboxed: true });
        assert_eq!(argv[..4], strings(&["setpriv", "--pdeathsig", "KILL", "--"]));
        assert_eq!(
            argv[4..],
            strings(&["unshare", "--mount", "--propagation", "private", "--mount-proc", "--", "sleep", "1"])
        );
    }

    #[test]
    fn without_namespaces_volumes_are_refused_and_processes_run_as_they_are() {
        let bare = Confinement { parent_death_signal: false, namespaces: false, missing: vec!["why".into()] };
        let mount = Mount { source: "/a".into(), target: "/b".into(), read_only: false };
        let error = container_argv(&bare, &[mount], None, &strings(&["ls"])).expect_err("refused");
        assert!(error.ends_with(": why"), "{error}");
        let (argv, launch) = container_argv(&bare, &[], Some("/w"), &strings(&["ls"])).expect("argv");
        assert_eq!((argv, launch.sandboxed), (strings(&["ls"]), false));
    }

    #[test]
    fn an_exec_enters_the_sandbox_of_its_container() {
        let full = Confinement { parent_death_signal: true, namespaces: true, missing: vec![] };
        let argv = exec_argv(&full, Some(42), Some("/w"), &strings(&["ls", "-l"]));
        assert_eq!(argv[4..8], strings(&["nsenter", "--target=42", "--mount", "--pid"]));
        assert_eq!(argv[argv.len() - 3..], strings(&["/w", "ls", "-l"]));
        assert_eq!(exec_argv(&full, None, Some("/w"), &strings(&["ls"]))[4..], strings(&["ls"]));
    }
}
