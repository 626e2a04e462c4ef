//! Leader election with a Lease on the embedded cluster, three replicas: exactly one leads; a leader
//! killed without a word (its task aborted, the Lease not released) is replaced once its Lease has not
//! been renewed for its duration; a leader that stops gracefully hands over at once; never two at once.

mod support;

use std::time::{Duration, Instant};

use kubegate_core::leader::{Election, Leadership, run};
use tokio_util::sync::CancellationToken;

const DURATION: Duration = Duration::from_secs(3);

fn leaders(replicas: &[(Leadership, CancellationToken, bool)]) -> Vec<usize> {
    replicas
        .iter()
        .enumerate()
        .filter(|(_, (l, _, alive))| *alive && *l.leading.borrow())
        .map(|(i, _)| i)
        .collect()
}

/// Samples until exactly one live replica leads for a whole renewal period, asserting never two.
async fn one_leader(
    replicas: &[(Leadership, CancellationToken, bool)],
    within: Duration,
) -> (usize, Duration) {
    let started = Instant::now();
    let mut steady: Option<(usize, Instant)> = None;
    loop {
        let now = leaders(replicas);
        assert!(now.len() <= 1, "two replicas lead at once: {now:?}");
        steady = match (now.first(), steady) {
            (Some(&i), Some((j, since))) if i == j => Some((j, since)),
            (Some(&i), _) => Some((i, Instant::now())),
            (None, _) => None,
        };
        if let Some((i, since)) = steady
            && since.elapsed() >= DURATION / 2
        {
            return (i, since.duration_since(started));
        }
        assert!(started.elapsed() < within, "no single leader within {within:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_replica_leads_and_another_takes_over_when_it_dies_or_leaves() {
    let cluster = support::embedded_cluster().await;
    let client = support::kube_client(&cluster).await;
    let mut replicas: Vec<(Leadership, CancellationToken, bool)> = (0..3)
        .map(|i| {
            let election = Election {
                namespace: "opencode-manager".into(),
                name: "kubegate-leader".into(),
                identity: format!("replica-{i}"),
                duration: DURATION,
            };
            let stop = CancellationToken::new();
            (run(client.clone(), election, stop.clone()), stop, true)
        })
        .collect();
    let (first, _) = one_leader(&replicas, Duration::from_secs(10)).await;

    // Killed: no release; the others wait for the Lease to expire, then one takes over.
    replicas[first].0.task.abort();
    replicas[first].2 = false;
    let (second, took) = one_leader(&replicas, Duration::from_secs(15)).await;
    assert_ne!(second, first);
    assert!(took <= DURATION * 3, "took over in {took:?}");

    // Leaving gracefully: the Lease is released and the last replica leads well within a duration.
    replicas[second].1.cancel();
    let _ = (&mut replicas[second].0.task).await;
    replicas[second].2 = false;
    let (third, took) = one_leader(&replicas, Duration::from_secs(10)).await;
    assert!(third != first && third != second);
    assert!(took < DURATION, "a released Lease is taken at once, not after it expires ({took:?})");
    let lease: k8s_openapi::api::coordination::v1::Lease =
        kube::Api::namespaced(client, "opencode-manager").get("kubegate-leader").await.expect("the Lease");
    let spec = lease.spec.expect("spec");
    assert_eq!(spec.holder_identity.as_deref(), Some(format!("replica-{third}").as_str()));
    assert!(spec.lease_transitions.unwrap_or(0) >= 2, "{spec:?}");
    replicas[third].1.cancel();
    cluster.shutdown().await;
}
