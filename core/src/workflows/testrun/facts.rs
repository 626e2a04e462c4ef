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

/// The lines at the end of `last` (the log's last lines, read once the pod ended) that the followed log
/// never delivered: a real node can end a followed log before its runtime has written the container's
/// last lines (typically the last of stderr). `seen` is the tail the follow kept; `last` should hold a
/// few more lines than it, so that the two overlap. The answer is the fewest lines that, after an
/// overlap of at least one line with the end of `seen`, end `last`; none when no such overlap exists
/// (the two do not continue each other), all of `last` when nothing was seen.
pub(super) fn late_lines<'a>(seen: &VecDeque<String>, last: &'a [String]) -> &'a [String] {
    if seen.is_empty() {
        return last;
    }
    for late in 0..last.len() {
        let (before, after) = last.split_at(last.len() - late);
        let overlap = before.len().min(seen.len());
        let seen_end = seen.iter().skip(seen.len() - overlap);
        if seen_end.eq(before[before.len() - overlap..].iter()) {
            return after;
        }
    }
    &[]
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
