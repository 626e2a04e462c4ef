//! What a test run's pod tells: the checkout step's marker lines in its log, and its status.

use std::collections::VecDeque;

use k8s_openapi::api::core::v1 as core;
use kubegate_proto::v1 as pb;

/// Marker lines the checkout step prints; the command's output comes after `CHECKED_OUT`.
pub(super) const UNKNOWN_COMMIT: &str = "kubegate-run: unknown commit";
pub(super) const CHECKOUT_FAILED: &str = "kubegate-run: checkout failed";
pub(super) const CHECKED_OUT: &str = "kubegate-run: checked out";
/// Waiting reasons that mean the image cannot be had.
pub(super) const IMAGE_REASONS: [&str; 4] =
    ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"];
/// Waiting reasons that mean the container will not start without a change.
pub(super) const START_REASONS: [&str; 3] =
    ["CreateContainerConfigError", "CreateContainerError", "RunContainerError"];

/// What was learned from the log.
#[derive(Default)]
pub(super) struct LogFacts {
    pub(super) tail: VecDeque<String>,
    pub(super) checked_out: bool,
    pub(super) marker: Option<(pb::TestRunOutcome, String)>,
}

impl LogFacts {
    pub(super) fn line(&mut self, line: &str, keep: usize) {
        if !self.checked_out {
            if line.starts_with(CHECKED_OUT) {
                self.checked_out = true;
            } else if line.starts_with(UNKNOWN_COMMIT) {
                self.marker = Some((pb::TestRunOutcome::UnknownCommit, line.to_string()));
            } else if line.starts_with(CHECKOUT_FAILED) {
                self.marker = Some((pb::TestRunOutcome::CheckoutFailed, line.to_string()));
            }
        }
        self.tail.push_back(line.to_string());
        while self.tail.len() > keep {
            self.tail.pop_front();
        }
    }
}

pub(super) fn waiting_reason(pod: &core::Pod) -> Option<(String, String)> {
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    statuses.iter().find_map(|s| {
        let waiting = s.state.as_ref()?.waiting.as_ref()?;
        let reason = waiting.reason.clone()?;
        Some((reason, waiting.message.clone().unwrap_or_default()))
    })
}

pub(super) fn terminated_exit(pod: &core::Pod) -> Option<i32> {
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    statuses.iter().find_map(|s| s.state.as_ref()?.terminated.as_ref().map(|t| t.exit_code))
}
