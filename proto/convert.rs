//! Conversions at the proto boundary: the API's enums to and from the text Kubernetes (and the REST
//! routes, which speak Kubernetes' words) use for them, and the API's times to and from RFC 3339 text,
//! milliseconds and `jiff` times.
//!
//! Every `*_name` function is total: an `UNSPECIFIED` value has no Kubernetes word of its own, so it is
//! given the word Kubernetes itself falls back to (documented on each function). Every `*_from_name`
//! function is strict: it accepts exactly the spelling Kubernetes uses (case-sensitive, as Kubernetes is)
//! and answers `None` for anything else, so that each caller decides what an unknown word means (an
//! error, a default, a filter that matches nothing).
//!
//! Enum fields of generated messages are `i32`; their generated getters (`pod.phase()`) already turn an
//! unknown number into `UNSPECIFIED`, so the functions here take the enums.

use prost_types::{Duration, Timestamp};

use crate::v1::{KubernetesServiceType, PathType, PodPhase, Protocol};

/// The Kubernetes name of a pod phase: `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
/// `UNSPECIFIED` is `Unknown`, what Kubernetes reports when it cannot tell.
pub fn pod_phase_name(phase: PodPhase) -> &'static str {
    match phase {
        PodPhase::Pending => "Pending",
        PodPhase::Running => "Running",
        PodPhase::Succeeded => "Succeeded",
        PodPhase::Failed => "Failed",
        PodPhase::Unknown | PodPhase::Unspecified => "Unknown",
    }
}

/// The pod phase of a Kubernetes phase name; `None` for anything else.
pub fn pod_phase_from_name(name: &str) -> Option<PodPhase> {
    match name {
        "Pending" => Some(PodPhase::Pending),
        "Running" => Some(PodPhase::Running),
        "Succeeded" => Some(PodPhase::Succeeded),
        "Failed" => Some(PodPhase::Failed),
        "Unknown" => Some(PodPhase::Unknown),
        _ => None,
    }
}

/// The Kubernetes name of a Service type: `ClusterIP`, `NodePort` or `LoadBalancer`.
/// `UNSPECIFIED` is `ClusterIP`, Kubernetes' default.
pub fn service_type_name(service_type: KubernetesServiceType) -> &'static str {
    match service_type {
        KubernetesServiceType::ClusterIp | KubernetesServiceType::Unspecified => "ClusterIP",
        KubernetesServiceType::NodePort => "NodePort",
        KubernetesServiceType::LoadBalancer => "LoadBalancer",
    }
}

/// The Service type of a Kubernetes Service type name; `None` for anything else (including
/// `ExternalName`, which kubegate does not create).
pub fn service_type_from_name(name: &str) -> Option<KubernetesServiceType> {
    match name {
        "ClusterIP" => Some(KubernetesServiceType::ClusterIp),
        "NodePort" => Some(KubernetesServiceType::NodePort),
        "LoadBalancer" => Some(KubernetesServiceType::LoadBalancer),
        _ => None,
    }
}

/// The Kubernetes name of a port protocol: `TCP`, `UDP` or `SCTP`. `UNSPECIFIED` is `TCP`, Kubernetes'
/// default.
pub fn protocol_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Tcp | Protocol::Unspecified => "TCP",
        Protocol::Udp => "UDP",
        Protocol::Sctp => "SCTP",
    }
}

/// The protocol of a Kubernetes protocol name; `None` for anything else.
pub fn protocol_from_name(name: &str) -> Option<Protocol> {
    match name {
        "TCP" => Some(Protocol::Tcp),
        "UDP" => Some(Protocol::Udp),
        "SCTP" => Some(Protocol::Sctp),
        _ => None,
    }
}

/// The Kubernetes name of an Ingress path type: `Prefix`, `Exact` or `ImplementationSpecific`.
/// `UNSPECIFIED` is `Prefix`, the type kubegate has always given a path without one.
pub fn path_type_name(path_type: PathType) -> &'static str {
    match path_type {
        PathType::Prefix | PathType::Unspecified => "Prefix",
        PathType::Exact => "Exact",
        PathType::ImplementationSpecific => "ImplementationSpecific",
    }
}

/// The Ingress path type of a Kubernetes path type name; `None` for anything else.
pub fn path_type_from_name(name: &str) -> Option<PathType> {
    match name {
        "Prefix" => Some(PathType::Prefix),
        "Exact" => Some(PathType::Exact),
        "ImplementationSpecific" => Some(PathType::ImplementationSpecific),
        _ => None,
    }
}

/// A `jiff` time as a protobuf timestamp (always representable: jiff's range is narrower).
pub fn timestamp_from_jiff(time: jiff::Timestamp) -> Timestamp {
    Timestamp { seconds: time.as_second(), nanos: time.subsec_nanosecond() }
}

/// A protobuf timestamp as a `jiff` time; `None` when it is not a valid timestamp: nanoseconds outside
/// `0..1_000_000_000` (protobuf counts them forward even before 1970, where jiff would also take
/// negative ones), or a year jiff cannot represent, beyond -9999..=9999.
pub fn timestamp_to_jiff(time: &Timestamp) -> Option<jiff::Timestamp> {
    if !(0..1_000_000_000).contains(&time.nanos) {
        return None;
    }
    jiff::Timestamp::new(time.seconds, time.nanos).ok()
}

/// A protobuf timestamp as RFC 3339 text in UTC, as Kubernetes writes times: `2024-05-01T12:30:00Z`,
/// with a fraction of a second only when there is one (`…:00.25Z`). `None` when the timestamp is not
/// valid (see [`timestamp_to_jiff`]).
pub fn timestamp_to_rfc3339(time: &Timestamp) -> Option<String> {
    timestamp_to_jiff(time).map(|t| t.to_string())
}

/// The protobuf timestamp of RFC 3339 text (an offset is required: `Z` or `+02:00`); `None` for text
/// that is not such a time.
pub fn timestamp_from_rfc3339(text: &str) -> Option<Timestamp> {
    text.parse::<jiff::Timestamp>().ok().map(timestamp_from_jiff)
}

/// Milliseconds since the Unix epoch of a protobuf timestamp, saturating at the ends of `i64`.
pub fn timestamp_to_millis(time: &Timestamp) -> i64 {
    time.seconds.saturating_mul(1000).saturating_add(i64::from(time.nanos) / 1_000_000)
}

/// A protobuf duration of a number of milliseconds (seconds saturate at `i64::MAX`).
pub fn duration_from_millis(millis: u64) -> Duration {
    Duration {
        seconds: i64::try_from(millis / 1000).unwrap_or(i64::MAX),
        // Below 1000 ms, so below 10^9 ns: always fits.
        nanos: i32::try_from((millis % 1000) * 1_000_000).unwrap_or(0),
    }
}

/// Whole milliseconds of a protobuf duration (sub-millisecond parts dropped), saturating at the ends of
/// `i64`.
pub fn duration_to_millis(duration: &Duration) -> i64 {
    duration.seconds.saturating_mul(1000).saturating_add(i64::from(duration.nanos) / 1_000_000)
}

/// A protobuf duration of a number of seconds with a fraction (as JSON carries them); `None` when the
/// number is not finite, negative, or beyond what a protobuf duration holds (10,000 years).
pub fn duration_from_secs_f64(seconds: f64) -> Option<Duration> {
    // The protobuf Duration's own limit: ±315,576,000,000 s.
    const MAX_SECONDS: f64 = 315_576_000_000.0;
    if !seconds.is_finite() || !(0.0..=MAX_SECONDS).contains(&seconds) {
        return None;
    }
    // In range, so both casts are exact or drop only what is below a nanosecond.
    Some(Duration { seconds: seconds.trunc() as i64, nanos: (seconds.fract() * 1e9) as i32 })
}

/// The `SCREAMING_CASE` name of a gRPC code (`NOT_FOUND`), as REST bodies, terminal messages and MCP
/// tool errors spell it.
pub fn code_name(code: tonic::Code) -> &'static str {
    match code {
        tonic::Code::Ok => "OK",
        tonic::Code::Cancelled => "CANCELLED",
        tonic::Code::Unknown => "UNKNOWN",
        tonic::Code::InvalidArgument => "INVALID_ARGUMENT",
        tonic::Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        tonic::Code::NotFound => "NOT_FOUND",
        tonic::Code::AlreadyExists => "ALREADY_EXISTS",
        tonic::Code::PermissionDenied => "PERMISSION_DENIED",
        tonic::Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        tonic::Code::FailedPrecondition => "FAILED_PRECONDITION",
        tonic::Code::Aborted => "ABORTED",
        tonic::Code::OutOfRange => "OUT_OF_RANGE",
        tonic::Code::Unimplemented => "UNIMPLEMENTED",
        tonic::Code::Internal => "INTERNAL",
        tonic::Code::Unavailable => "UNAVAILABLE",
        tonic::Code::DataLoss => "DATA_LOSS",
        tonic::Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_phases_round_trip_and_unspecified_is_unknown() {
        for phase in
            [PodPhase::Pending, PodPhase::Running, PodPhase::Succeeded, PodPhase::Failed, PodPhase::Unknown]
        {
            assert_eq!(pod_phase_from_name(pod_phase_name(phase)), Some(phase));
        }
        assert_eq!(pod_phase_name(PodPhase::Running), "Running");
        assert_eq!(pod_phase_name(PodPhase::Unspecified), "Unknown");
        assert_eq!(pod_phase_from_name("running"), None);
        assert_eq!(pod_phase_from_name(""), None);
    }

    #[test]
    fn service_types_round_trip_and_unspecified_is_cluster_ip() {
        for t in [
            KubernetesServiceType::ClusterIp,
            KubernetesServiceType::NodePort,
            KubernetesServiceType::LoadBalancer,
        ] {
            assert_eq!(service_type_from_name(service_type_name(t)), Some(t));
        }
        assert_eq!(service_type_name(KubernetesServiceType::ClusterIp), "ClusterIP");
        assert_eq!(service_type_name(KubernetesServiceType::NodePort), "NodePort");
        assert_eq!(service_type_name(KubernetesServiceType::Unspecified), "ClusterIP");
        assert_eq!(service_type_from_name("ExternalName"), None);
        assert_eq!(service_type_from_name("ClusterIp"), None);
    }

    #[test]
    fn protocols_round_trip_and_unspecified_is_tcp() {
        for p in [Protocol::Tcp, Protocol::Udp, Protocol::Sctp] {
            assert_eq!(protocol_from_name(protocol_name(p)), Some(p));
        }
        assert_eq!(protocol_name(Protocol::Sctp), "SCTP");
        assert_eq!(protocol_name(Protocol::Unspecified), "TCP");
        assert_eq!(protocol_from_name("tcp"), None);
    }

    #[test]
    fn path_types_round_trip_and_unspecified_is_prefix() {
        for t in [PathType::Prefix, PathType::Exact, PathType::ImplementationSpecific] {
            assert_eq!(path_type_from_name(path_type_name(t)), Some(t));
        }
        assert_eq!(path_type_name(PathType::ImplementationSpecific), "ImplementationSpecific");
        assert_eq!(path_type_name(PathType::Unspecified), "Prefix");
        assert_eq!(path_type_from_name("prefix"), None);
    }

    #[test]
    fn timestamps_are_rfc3339_in_utc() {
        let noon = Timestamp { seconds: 1_714_566_600, nanos: 0 };
        assert_eq!(timestamp_to_rfc3339(&noon).as_deref(), Some("2024-05-01T12:30:00Z"));
        assert_eq!(timestamp_from_rfc3339("2024-05-01T12:30:00Z"), Some(noon));
        assert_eq!(timestamp_from_rfc3339("2024-05-01T14:30:00+02:00"), Some(noon));
        let fraction = Timestamp { seconds: 1_714_566_600, nanos: 250_000_000 };
        assert_eq!(timestamp_to_rfc3339(&fraction).as_deref(), Some("2024-05-01T12:30:00.25Z"));
        assert_eq!(timestamp_from_rfc3339("2024-05-01T12:30:00.250Z"), Some(fraction));
        assert_eq!(
            timestamp_to_rfc3339(&Timestamp { seconds: 0, nanos: 0 }).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
    }

    #[test]
    fn text_that_is_not_a_time_and_invalid_timestamps_are_refused() {
        for text in ["", "yesterday", "2024-05-01", "2024-05-01T12:30:00", "2024-13-01T00:00:00Z"] {
            assert_eq!(timestamp_from_rfc3339(text), None, "{text}");
        }
        assert_eq!(timestamp_to_rfc3339(&Timestamp { seconds: 0, nanos: -1 }), None);
        assert_eq!(timestamp_to_rfc3339(&Timestamp { seconds: 0, nanos: 1_000_000_000 }), None);
        assert_eq!(timestamp_to_rfc3339(&Timestamp { seconds: i64::MAX, nanos: 0 }), None);
    }

    #[test]
    fn timestamps_convert_to_jiff_and_milliseconds() {
        let time = Timestamp { seconds: 1_714_566_600, nanos: 987_654_321 };
        let jiff = timestamp_to_jiff(&time).expect("valid");
        assert_eq!(timestamp_from_jiff(jiff), time);
        assert_eq!(timestamp_to_millis(&time), 1_714_566_600_987);
        let before_1970 = Timestamp { seconds: -1, nanos: 500_000_000 };
        assert_eq!(timestamp_to_rfc3339(&before_1970).as_deref(), Some("1969-12-31T23:59:59.5Z"));
        assert_eq!(timestamp_to_millis(&Timestamp { seconds: i64::MAX, nanos: 0 }), i64::MAX);
        assert_eq!(timestamp_to_millis(&Timestamp { seconds: -1, nanos: 500_000_000 }), -500);
    }

    #[test]
    fn durations_convert_to_and_from_milliseconds_and_seconds() {
        assert_eq!(duration_from_millis(1_500), Duration { seconds: 1, nanos: 500_000_000 });
        assert_eq!(duration_from_millis(0), Duration { seconds: 0, nanos: 0 });
        assert_eq!(duration_from_millis(u64::MAX).seconds, i64::try_from(u64::MAX / 1000).expect("fits"));
        assert_eq!(duration_to_millis(&Duration { seconds: 2, nanos: 345_678_901 }), 2_345);
        assert_eq!(duration_to_millis(&Duration { seconds: i64::MAX, nanos: 0 }), i64::MAX);
        assert_eq!(duration_from_secs_f64(1.5), Some(Duration { seconds: 1, nanos: 500_000_000 }));
        assert_eq!(duration_from_secs_f64(0.0), Some(Duration { seconds: 0, nanos: 0 }));
        for bad in [-1.0, f64::NAN, f64::INFINITY, 1e12] {
            assert_eq!(duration_from_secs_f64(bad), None, "{bad}");
        }
    }
}
