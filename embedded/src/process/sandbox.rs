//! How far this host lets container processes be confined (found once, the first time it is asked),
//! and the commands that start a container in its sandbox and an exec inside it.
//!
//! With root, each container is the init of its own PID namespace (started by the spawner thread, see
//! `spawner`) with its own mount namespace and `/proc`, and is started through
//! `setpriv --pdeathsig KILL`: when kubegate dies, the init gets SIGKILL and the kernel kills everything
//! else in its namespace, however deep. Inside, before the command runs: the pod gets its own empty
//! home (`/root` and kubegate's `$HOME`), its volumes are bound in place, kubegate's data directory is
//! covered by an empty tmpfs and its kubeconfigs by an unreadable file; then the command drops to
//! [`POD_UID`], an unprivileged host uid, in a user namespace of its own where that uid is root. The
//! mounts are made in a mount namespace owned by the host's user namespace, so root in the pod cannot
//! undo them. An exec joins the namespaces of the init with `nsenter`, so it is confined the same way
//! and dies with the container.
//!
//! Without root, processes run as they are, each with only the parent death signal, and volumes (which
//! need a mount namespace) are refused. What this host cannot do is kept with the exact error, for the
//! log and for refusing hostPath volumes.

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

/// The host uid pod processes run as (root in their own user namespace). Not a user's (distributions
/// hand out 1000-60000), not nobody (65534), below the subordinate ranges `useradd` allocates (from
/// 100000). One uid for every pod, so that pods sharing a claim can write each other's files; pods
/// still cannot see or signal each other's processes, each being in its own PID namespace.
pub const POD_UID: u32 = 99_999;

/// What this host allows, and what it does not with the exact error.
#[derive(Debug, Clone, Default)]
pub struct Confinement {
    /// `setpriv --pdeathsig` works: a started process gets SIGKILL when kubegate dies.
    pub parent_death_signal: bool,
    /// Each container can be the init of its own PID and mount namespaces.
    pub namespaces: bool,
    /// Pod processes run as [`POD_UID`] instead of kubegate's uid.
    pub unprivileged: bool,
    /// Pod processes are root in a user namespace of their own (else they are plainly [`POD_UID`]).
    pub user_namespace: bool,
    /// What could not be done, each with the command or call that failed and its error.
    pub missing: Vec<String>,
}

impl Confinement {
    /// Whether pods are confined as designed: own namespaces, unprivileged, own user namespace.
    pub fn complete(&self) -> bool {
        self.parent_death_signal && self.namespaces && self.unprivileged && self.user_namespace
    }
}

/// What pods must not see of the host.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    /// Directories covered by an empty tmpfs (kubegate's data directory).
    pub dirs: Vec<PathBuf>,
    /// Files covered by [`Hidden::unreadable`] (the kubeconfigs, wherever they are).
    pub files: Vec<PathBuf>,
    /// An empty file only root can read, mounted over each of `files`.
    pub unreadable: PathBuf,
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
    let pdeathsig = ["setpriv", "--pdeathsig", "KILL", "--"];
    match probe_command(PidNamespace::Own, &[&pdeathsig[..], &["true"]].concat()) {
        Ok(()) => found.parent_death_signal = true,
        Err(e) => {
            found.missing.push(format!("processes do not die with kubegate: {e}"));
            return found;
        }
    }
    let sandbox = [&pdeathsig[..], &NAMESPACES[..]].concat();
    if let Err(e) = probe_command(PidNamespace::New, &[&sandbox[..], &["true"]].concat()) {
        found.missing.push(format!("containers share kubegate's PID and mount namespaces and uid: {e}"));
        return found;
    }
    found.namespaces = true;
    let uid = POD_UID.to_string();
    let drop = drop_privileges(&uid);
    let drop: Vec<&str> = drop.iter().map(String::as_str).collect();
    if let Err(e) = probe_command(PidNamespace::New, &[&sandbox[..], &drop, &["true"]].concat()) {
        found.missing.push(format!("pod processes run with kubegate's uid: {e}"));
        return found;
    }
    found.unprivileged = true;
    match probe_command(PidNamespace::New, &[&sandbox[..], &drop, &USER_NAMESPACE[..], &["true"]].concat()) {
        Ok(()) => found.user_namespace = true,
        Err(e) => found
            .missing
            .push(format!("pods have no user namespace of their own (uid {uid} is not root in them): {e}")),
    }
    found
}

/// `setpriv` dropping to [`POD_UID`] (as `uid`) for good; the parent death signal is set again after,
/// since the kernel clears it when the uid changes.
fn drop_privileges(uid: &str) -> Vec<String> {
    [
        "setpriv",
        &format!("--reuid={uid}"),
        &format!("--regid={uid}"),
        "--clear-groups",
        "--no-new-privs",
        "--pdeathsig",
        "KILL",
        "--",
    ]
    .map(str::to_string)
    .to_vec()
}

/// The `unshare` that makes the process root in a user namespace of its own.
const USER_NAMESPACE: [&str; 4] = ["unshare", "--user", "--map-root-user", "--"];

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

/// Whether `path` is `dir` or inside it.
fn inside(path: &std::path::Path, dir: &std::path::Path) -> bool {
    path.starts_with(dir)
}

/// The private homes of a pod: `/root` and kubegate's `$HOME`, each covered by an empty tmpfs that the
/// pod's root owns.
fn homes() -> Vec<PathBuf> {
    let mut homes = vec![PathBuf::from("/root")];
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && home.is_absolute()
        && home.is_dir()
        && !homes.contains(&home)
    {
        homes.push(home);
    }
    homes
}

/// Where a container's volume sources are staged while its sandbox is set up: a fresh directory in
/// the host's temporary directory (or `/run`), outside every home and hidden directory, so that covering
/// those cannot cover a source. The script creates it, mounts a private tmpfs on it, and removes it.
fn staging_dir(homes: &[PathBuf], hidden: &Hidden) -> PathBuf {
    let name = format!(".kubegate-stage-{}", uuid::Uuid::new_v4().simple());
    let covered =
        |dir: &std::path::Path| homes.iter().chain(&hidden.dirs).any(|h| inside(dir, h) || inside(h, dir));
    [std::env::temp_dir(), PathBuf::from("/run"), PathBuf::from("/var/tmp")]
        .into_iter()
        .find(|dir| dir.is_absolute() && dir.is_dir() && !covered(dir))
        .unwrap_or_else(|| PathBuf::from("/"))
        .join(name)
}

/// The script run as root inside the container's new namespaces before it becomes the command. In
/// order: every volume source is bound into a private staging tmpfs (so that no later step can cover
/// it); the pod gets its own empty homes; what it must not see is covered (what an empty home covers
/// already is skipped); the volumes are placed from the staging area, which then goes; the working
/// directory; then (when this host allows) the drop to [`POD_UID`]. Refuses a volume placed inside a
/// hidden directory.
fn setup_script(
    confinement: &Confinement,
    mounts: &[Mount],
    hidden: &Hidden,
    working_dir: Option<&str>,
) -> Result<String, String> {
    for mount in mounts {
        let target = std::path::Path::new(&mount.target);
        if let Some(dir) = hidden.dirs.iter().find(|d| inside(target, d)) {
            return Err(format!(
                "mountPath {:?} is inside {}, which the embedded cluster hides from pods",
                mount.target,
                dir.display()
            ));
        }
    }
    let homes = if confinement.unprivileged { homes() } else { Vec::new() };
    let quote = |path: &std::path::Path| shell_quote(&path.to_string_lossy());
    let mut script = String::from("set -e\n");
    let stage = (!mounts.is_empty()).then(|| quote(&staging_dir(&homes, hidden)));
    if let Some(stage) = &stage {
        script.push_str(&format!("trap 'umount -R {stage} 2>/dev/null; rmdir {stage} 2>/dev/null' EXIT\n"));
        script.push_str(&format!(
            "mkdir -m 0700 {stage}\nmount -t tmpfs -o mode=0700 kubegate-stage {stage}\n"
        ));
        for (i, mount) in mounts.iter().enumerate() {
            let source = quote(&mount.source);
            script.push_str(&format!(
                "if [ -d {source} ]; then mkdir {stage}/{i}; else touch {stage}/{i}; fi\nmount --bind {source} {stage}/{i}\n"
            ));
        }
    }
    for home in &homes {
        let options = format!("mode=0700,uid={POD_UID},gid={POD_UID}");
        script.push_str(&format!("mount -t tmpfs -o {options} kubegate-home {}\n", quote(home)));
    }
    let unreadable = quote(&hidden.unreadable);
    for file in &hidden.files {
        let file = quote(file);
        script.push_str(&format!("if [ -f {file} ]; then mount --bind {unreadable} {file}; fi\n"));
    }
    for dir in &hidden.dirs {
        let dir = quote(dir);
        script.push_str(&format!(
            "if [ -d {dir} ]; then mount -t tmpfs -o mode=0755,size=64k kubegate-hidden {dir}; fi\n"
        ));
    }
    if let Some(stage) = &stage {
        for (i, mount) in mounts.iter().enumerate() {
            let target = shell_quote(&mount.target);
            script.push_str(&format!(
                "if [ -d {stage}/{i} ]; then mkdir -p {target}; else mkdir -p \"$(dirname {target})\"; touch {target}; fi\n"
            ));
            script.push_str(&format!("mount --bind {stage}/{i} {target}\n"));
            if mount.read_only {
                script.push_str(&format!("mount -o remount,bind,ro {target}\n"));
            }
        }
        script.push_str(&format!("umount -R {stage}\nrmdir {stage}\ntrap - EXIT\n"));
    }
    if let Some(dir) = working_dir {
        script.push_str(&format!("cd {}\n", shell_quote(dir)));
    }
    script.push_str("exec ");
    if confinement.unprivileged {
        for arg in drop_privileges(&POD_UID.to_string()) {
            script.push_str(&format!("{arg} "));
        }
        if confinement.user_namespace {
            script.push_str(&format!("{} ", USER_NAMESPACE.join(" ")));
        }
    }
    script.push_str("\"$@\"\n");
    Ok(script)
}

/// The program and arguments that start a container running `argv`, and how to start them. Without a
/// sandbox the working directory is the caller's to set; volumes then cannot be placed. An error is
/// the container's waiting message.
pub fn container_argv(
    confinement: &Confinement,
    mounts: &[Mount],
    hidden: &Hidden,
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
    let script = setup_script(confinement, mounts, hidden, working_dir)?;
    out.extend(["sh".to_string(), "-c".to_string(), script, "container".into()]);
    out.extend(argv.iter().cloned());
    Ok((out, Launch { namespace: PidNamespace::New, sandboxed: true }))
}

/// The program and arguments of an exec running `argv` in a container: inside the sandbox whose init
/// is `enter` when it has one, as the same user as the container. Without a sandbox the working
/// directory is the caller's to set.
pub fn exec_argv(
    confinement: &Confinement,
    enter: Option<i32>,
    working_dir: Option<&str>,
    argv: &[String],
    join_pid: bool,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if confinement.parent_death_signal {
        out.extend(["setpriv", "--pdeathsig", "KILL", "--"].map(str::to_string));
    }
    if let Some(pid) = enter {
        out.extend(["nsenter".to_string(), format!("--target={pid}"), "--mount".into()]);
        if join_pid {
            out.push("--pid".into());
        }
        if confinement.user_namespace {
            // Entering the user namespace makes the exec its root, which is POD_UID on the host.
            out.push("--user".into());
        }
        out.push("--".into());
        if confinement.unprivileged && !confinement.user_namespace {
            out.extend(drop_privileges(&POD_UID.to_string()));
        }
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

    fn complete() -> Confinement {
        Confinement {
            parent_death_signal: true,
            namespaces: true,
            unprivileged: true,
            user_namespace: true,
            missing: vec![],
        }
    }

    fn hidden() -> Hidden {
        Hidden {
            dirs: vec!["/var/lib/kg".into()],
            files: vec!["/etc/kg/config".into()],
            unreadable: "/var/lib/kg/.unreadable".into(),
        }
    }

    #[test]
    fn a_sandboxed_container_is_the_init_of_new_namespaces_and_drops_to_the_pod_uid() {
        let (argv, launch) =
            container_argv(&complete(), &[], &hidden(), None, &strings(&["sleep", "1"])).expect("argv");
        assert_eq!(launch, Launch { namespace: PidNamespace::New, sandboxed: true });
        assert_eq!(argv[..4], strings(&["setpriv", "--pdeathsig", "KILL", "--"]));
        assert_eq!(
            argv[4..10],
            strings(&["unshare", "--mount", "--propagation", "private", "--mount-proc", "--"])
        );
        assert_eq!(argv[argv.len() - 2..], strings(&["sleep", "1"]));
        let script = &argv[12];
        let order = [
            "kubegate-home '/root'",
            "mount --bind '/var/lib/kg/.unreadable' '/etc/kg/config'",
            "kubegate-hidden '/var/lib/kg'",
            "--reuid=99999",
            "unshare --user --map-root-user -- \"$@\"",
        ];
        let positions: Vec<usize> =
            order.iter().map(|part| script.find(part).unwrap_or(usize::MAX)).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?} in {script}");
    }

    #[test]
    fn volume_sources_are_staged_before_anything_is_covered_and_placed_after() {
        let claim =
            Mount { source: "/var/lib/kg/volumes/ns/c".into(), target: "/root/work".into(), read_only: true };
        let (argv, _) =
            container_argv(&complete(), &[claim], &hidden(), Some("/root/work"), &strings(&["ls"]))
                .expect("argv");
        let script = &argv[12];
        let at = |part: &str| script.find(part).unwrap_or_else(|| panic!("{part:?} in {script}"));
        let staged = at("mount --bind '/var/lib/kg/volumes/ns/c' ");
        assert!(
            staged < at("kubegate-home '/root'") && at("kubegate-home") < at("kubegate-hidden '/var/lib/kg'")
        );
        let placed = at("/0 '/root/work'\n");
        assert!(at("kubegate-hidden") < placed && placed < at("remount,bind,ro '/root/work'"));
        assert!(at("umount -R ") < at("cd '/root/work'") && at("cd '/root/work'") < at("--reuid=99999"));
        let inside = Mount { source: "/srv".into(), target: "/var/lib/kg/x".into(), read_only: false };
        let error =
            container_argv(&complete(), &[inside], &hidden(), None, &strings(&["ls"])).expect_err("refused");
        assert!(error.contains("hides from pods"), "{error}");
    }

    #[test]
    fn the_staging_area_is_outside_every_covered_directory() {
        let stage = staging_dir(&[PathBuf::from("/root")], &hidden());
        assert!(!stage.starts_with("/root") && !stage.starts_with("/var/lib/kg"), "{}", stage.display());
        let everything = Hidden { dirs: vec!["/".into()], ..hidden() };
        assert_eq!(staging_dir(&[], &everything).parent(), Some(std::path::Path::new("/")));
    }

    #[test]
    fn without_namespaces_volumes_are_refused_and_processes_run_as_they_are() {
        let bare = Confinement { missing: vec!["why".into()], ..Confinement::default() };
        let mount = Mount { source: "/a".into(), target: "/b".into(), read_only: false };
        let error = container_argv(&bare, &[mount], &hidden(), None, &strings(&["ls"])).expect_err("refused");
        assert!(error.ends_with(": why"), "{error}");
        let (argv, launch) =
            container_argv(&bare, &[], &hidden(), Some("/w"), &strings(&["ls"])).expect("argv");
        assert_eq!((argv, launch.sandboxed), (strings(&["ls"]), false));
        assert!(!bare.complete() && complete().complete());
    }

    #[test]
    fn an_exec_enters_the_sandbox_of_its_container_as_its_user() {
        let argv = exec_argv(&complete(), Some(42), Some("/w"), &strings(&["ls", "-l"]), true);
        assert_eq!(argv[4..10], strings(&["nsenter", "--target=42", "--mount", "--pid", "--user", "--"]));
        assert_eq!(argv[argv.len() - 3..], strings(&["/w", "ls", "-l"]));
        let plain_uid = Confinement { user_namespace: false, ..complete() };
        let argv = exec_argv(&plain_uid, Some(42), None, &strings(&["ls"]), true);
        assert!(
            argv.contains(&"--reuid=99999".to_string()) && !argv.contains(&"--user".to_string()),
            "{argv:?}"
        );
        assert_eq!(exec_argv(&complete(), None, Some("/w"), &strings(&["ls"]), true)[4..], strings(&["ls"]));
    }
}
