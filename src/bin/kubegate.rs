//! The `kubegate` binary: parses the command line and runs it.

use std::process::ExitCode;

use clap::Parser as _;
use clap::error::ErrorKind;

/// mimalloc instead of the system allocator: a request allocates and frees many small objects on two
/// worker threads, which glibc's malloc served with ~11% of kubegate's time under load (benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match kubegate::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&anyhow::Error::from(e).context("cannot start the async runtime")),
    };
    runtime.block_on(async {
        let _telemetry = match kubegate::telemetry::init("kubegate") {
            Ok(telemetry) => telemetry,
            Err(e) => return fail(&e.context("cannot set up logging")),
        };
        match kubegate::cli::run(cli).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        }
    })
}

/// Reports a fatal error as one line on stderr and returns a failing exit code.
#[allow(clippy::print_stderr)]
fn fail(error: &anyhow::Error) -> ExitCode {
    let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
    eprintln!("kubegate: error: {}", chain.join(": "));
    ExitCode::FAILURE
}

/// Prints help and version as clap renders them, and a usage error as one line.
#[allow(clippy::print_stderr)]
fn usage_error(error: &clap::Error) -> ExitCode {
    if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = error.print();
        return if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid command line");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!("kubegate: error: {first} (see kubegate --help)");
    ExitCode::from(2)
}
