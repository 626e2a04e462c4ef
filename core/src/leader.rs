//! Leader election with a `coordination.k8s.io/v1` Lease, as client-go's leader election does it: the
//! holder renews the Lease every third of its duration; another replica takes it over only when it has
//! seen the same record, unchanged, for a whole duration (its own clock, never a comparison of clocks);
//! every write carries the resourceVersion read, so two replicas can never both win. Singleton work (the
//! time-to-live reaper) runs only while `leading` says so, and stops the moment a renewal is overdue.

use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use kube::api::{Api, ObjectMeta, PostParams};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// Which Lease, who we are, and its timing.
#[derive(Debug, Clone)]
pub struct Election {
    /// The Lease's namespace (kubegate's own).
    pub namespace: String,
    /// The Lease's name.
    pub name: String,
    /// This replica's identity (its pod name, or host and process).
    pub identity: String,
    /// How long a Lease not renewed stays held.
    pub duration: Duration,
}

impl Election {
    /// This replica's identity: `POD_NAME` when it runs in a pod, else the host name and process id.
    pub fn default_identity() -> String {
        match std::env::var("POD_NAME") {
            Ok(name) if !name.is_empty() => name,
            _ => {
                let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
                format!("{}-{}", host.trim(), std::process::id())
            }
        }
    }
}

/// What this replica last saw of the Lease, and when it saw it change.
struct Observed {
    holder: Option<String>,
    renewed: Option<MicroTime>,
    since: Instant,
}

/// A running election.
#[derive(Debug)]
pub struct Leadership {
    /// Whether this replica leads now.
    pub leading: watch::Receiver<bool>,
    /// The election's task: aborting it is what a killed process does (the Lease is not released).
    pub task: tokio::task::JoinHandle<()>,
}

/// Runs the election until `stop`. On stop, a held Lease is released so that another replica takes over
/// at once.
pub fn run(client: kube::Client, election: Election, stop: CancellationToken) -> Leadership {
    let (leading_tx, leading) = watch::channel(false);
    let task = tokio::spawn(async move {
        let api: Api<Lease> = Api::namespaced(client, &election.namespace);
        let every = election.duration / 3;
        let mut observed: Option<Observed> = None;
        let mut last_renewal: Option<Instant> = None;
        loop {
            let renewed = attempt(&api, &election, &mut observed).await;
            match renewed {
                Ok(true) => last_renewal = Some(Instant::now()),
                Ok(false) => last_renewal = None,
                Err(e) => {
                    tracing::debug!(error = %e, lease = %election.name, "leader election: the Lease could not be read or written")
                }
            }
            // Leading only while a renewal is younger than the Lease's duration.
            let leads = last_renewal.is_some_and(|at| at.elapsed() < election.duration);
            if *leading_tx.borrow() != leads {
                tracing::info!(identity = %election.identity, leads, lease = %election.name, "leader election");
            }
            leading_tx.send_replace(leads);
            kubegate_metrics::global().leader.set(i64::from(leads));
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                () = stop.cancelled() => break,
            }
        }
        leading_tx.send_replace(false);
        kubegate_metrics::global().leader.set(0);
        if last_renewal.is_some() {
            release(&api, &election).await;
        }
    });
    Leadership { leading, task }
}

/// One round: take or renew the Lease when this replica may. `Ok(true)` when it holds the Lease now.
async fn attempt(
    api: &Api<Lease>,
    election: &Election,
    observed: &mut Option<Observed>,
) -> kube::Result<bool> {
    let now = MicroTime(jiff::Timestamp::now());
    let Some(mut lease) = api.get_opt(&election.name).await? else {
        let lease = Lease {
            metadata: ObjectMeta { name: Some(election.name.clone()), ..Default::default() },
            spec: Some(spec(election, Some(now.clone()), now, 0)),
        };
        return match api.create(&PostParams::default(), &lease).await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(status)) if status.code == 409 => Ok(false),
            Err(e) => Err(e),
        };
    };
    let current = lease.spec.clone().unwrap_or_default();
    let holder = current.holder_identity.clone().filter(|h| !h.is_empty());
    // The record changed since last seen: restart the clock on it.
    let changed = observed.as_ref().is_none_or(|o| o.holder != holder || o.renewed != current.renew_time);
    if changed {
        *observed = Some(Observed {
            holder: holder.clone(),
            renewed: current.renew_time.clone(),
            since: Instant::now(),
        });
    }
    let duration = current
        .lease_duration_seconds
        .and_then(|s| u64::try_from(s).ok())
        .map_or(election.duration, Duration::from_secs);
    let expired = observed.as_ref().is_some_and(|o| o.since.elapsed() >= duration);
    let mine = holder.as_deref() == Some(election.identity.as_str());
    if !mine && holder.is_some() && !expired {
        return Ok(false);
    }
    let transitions = current.lease_transitions.unwrap_or(0) + i32::from(!mine);
    let acquired = if mine { current.acquire_time.clone() } else { Some(now.clone()) };
    lease.spec = Some(spec(election, acquired, now, transitions));
    // The resourceVersion read travels with the write: a replica that raced us gets 409.
    match api.replace(&election.name, &PostParams::default(), &lease).await {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(false),
        Err(e) => Err(e),
    }
}

fn spec(election: &Election, acquired: Option<MicroTime>, now: MicroTime, transitions: i32) -> LeaseSpec {
    LeaseSpec {
        holder_identity: Some(election.identity.clone()),
        lease_duration_seconds: i32::try_from(election.duration.as_secs().max(1)).ok(),
        acquire_time: acquired,
        renew_time: Some(now),
        lease_transitions: Some(transitions),
        ..Default::default()
    }
}

/// Gives the Lease up (no holder), so that the next replica need not wait for it to expire.
async fn release(api: &Api<Lease>, election: &Election) {
    let Ok(Some(mut lease)) = api.get_opt(&election.name).await else { return };
    let spec = lease.spec.get_or_insert_with(Default::default);
    if spec.holder_identity.as_deref() != Some(election.identity.as_str()) {
        return;
    }
    spec.holder_identity = None;
    spec.lease_duration_seconds = Some(1);
    if let Err(e) = api.replace(&election.name, &PostParams::default(), &lease).await {
        tracing::debug!(error = %e, "leader election: the Lease could not be released");
    }
}
