import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from kubegate.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PodPhase(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POD_PHASE_UNSPECIFIED: _ClassVar[PodPhase]
    POD_PHASE_PENDING: _ClassVar[PodPhase]
    POD_PHASE_RUNNING: _ClassVar[PodPhase]
    POD_PHASE_SUCCEEDED: _ClassVar[PodPhase]
    POD_PHASE_FAILED: _ClassVar[PodPhase]
    POD_PHASE_UNKNOWN: _ClassVar[PodPhase]

class RestartPolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESTART_POLICY_UNSPECIFIED: _ClassVar[RestartPolicy]
    RESTART_POLICY_NEVER: _ClassVar[RestartPolicy]
    RESTART_POLICY_ON_FAILURE: _ClassVar[RestartPolicy]
    RESTART_POLICY_ALWAYS: _ClassVar[RestartPolicy]

class WatchEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WATCH_EVENT_TYPE_UNSPECIFIED: _ClassVar[WatchEventType]
    WATCH_EVENT_TYPE_ADDED: _ClassVar[WatchEventType]
    WATCH_EVENT_TYPE_MODIFIED: _ClassVar[WatchEventType]
    WATCH_EVENT_TYPE_DELETED: _ClassVar[WatchEventType]
    WATCH_EVENT_TYPE_SYNCED: _ClassVar[WatchEventType]

class LogEndReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOG_END_REASON_UNSPECIFIED: _ClassVar[LogEndReason]
    LOG_END_REASON_CONTAINER_EXITED: _ClassVar[LogEndReason]
    LOG_END_REASON_LIMIT_REACHED: _ClassVar[LogEndReason]
    LOG_END_REASON_POD_DELETED: _ClassVar[LogEndReason]
POD_PHASE_UNSPECIFIED: PodPhase
POD_PHASE_PENDING: PodPhase
POD_PHASE_RUNNING: PodPhase
POD_PHASE_SUCCEEDED: PodPhase
POD_PHASE_FAILED: PodPhase
POD_PHASE_UNKNOWN: PodPhase
RESTART_POLICY_UNSPECIFIED: RestartPolicy
RESTART_POLICY_NEVER: RestartPolicy
RESTART_POLICY_ON_FAILURE: RestartPolicy
RESTART_POLICY_ALWAYS: RestartPolicy
WATCH_EVENT_TYPE_UNSPECIFIED: WatchEventType
WATCH_EVENT_TYPE_ADDED: WatchEventType
WATCH_EVENT_TYPE_MODIFIED: WatchEventType
WATCH_EVENT_TYPE_DELETED: WatchEventType
WATCH_EVENT_TYPE_SYNCED: WatchEventType
LOG_END_REASON_UNSPECIFIED: LogEndReason
LOG_END_REASON_CONTAINER_EXITED: LogEndReason
LOG_END_REASON_LIMIT_REACHED: LogEndReason
LOG_END_REASON_POD_DELETED: LogEndReason

class EnvVar(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class HostPathMount(_message.Message):
    __slots__ = ("host_path", "mount_path", "read_only")
    HOST_PATH_FIELD_NUMBER: _ClassVar[int]
    MOUNT_PATH_FIELD_NUMBER: _ClassVar[int]
    READ_ONLY_FIELD_NUMBER: _ClassVar[int]
    host_path: str
    mount_path: str
    read_only: bool
    def __init__(self, host_path: _Optional[str] = ..., mount_path: _Optional[str] = ..., read_only: _Optional[bool] = ...) -> None: ...

class VolumeClaimMount(_message.Message):
    __slots__ = ("claim_name", "mount_path", "sub_path", "read_only")
    CLAIM_NAME_FIELD_NUMBER: _ClassVar[int]
    MOUNT_PATH_FIELD_NUMBER: _ClassVar[int]
    SUB_PATH_FIELD_NUMBER: _ClassVar[int]
    READ_ONLY_FIELD_NUMBER: _ClassVar[int]
    claim_name: str
    mount_path: str
    sub_path: str
    read_only: bool
    def __init__(self, claim_name: _Optional[str] = ..., mount_path: _Optional[str] = ..., sub_path: _Optional[str] = ..., read_only: _Optional[bool] = ...) -> None: ...

class ContainerPort(_message.Message):
    __slots__ = ("name", "container_port", "protocol")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_PORT_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    name: str
    container_port: int
    protocol: _common_pb2.Protocol
    def __init__(self, name: _Optional[str] = ..., container_port: _Optional[int] = ..., protocol: _Optional[_Union[_common_pb2.Protocol, str]] = ...) -> None: ...

class PodSpec(_message.Message):
    __slots__ = ("name", "namespace", "image", "command", "args", "env", "labels", "annotations", "working_dir", "host_paths", "volume_claims", "resources", "ports", "restart_policy", "max_run_duration", "ttl_after_finished", "container_name", "image_pull_policy", "stdin", "tty")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class AnnotationsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    WORKING_DIR_FIELD_NUMBER: _ClassVar[int]
    HOST_PATHS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_CLAIMS_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    PORTS_FIELD_NUMBER: _ClassVar[int]
    RESTART_POLICY_FIELD_NUMBER: _ClassVar[int]
    MAX_RUN_DURATION_FIELD_NUMBER: _ClassVar[int]
    TTL_AFTER_FINISHED_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_NAME_FIELD_NUMBER: _ClassVar[int]
    IMAGE_PULL_POLICY_FIELD_NUMBER: _ClassVar[int]
    STDIN_FIELD_NUMBER: _ClassVar[int]
    TTY_FIELD_NUMBER: _ClassVar[int]
    name: str
    namespace: str
    image: str
    command: _containers.RepeatedScalarFieldContainer[str]
    args: _containers.RepeatedScalarFieldContainer[str]
    env: _containers.RepeatedCompositeFieldContainer[EnvVar]
    labels: _containers.ScalarMap[str, str]
    annotations: _containers.ScalarMap[str, str]
    working_dir: str
    host_paths: _containers.RepeatedCompositeFieldContainer[HostPathMount]
    volume_claims: _containers.RepeatedCompositeFieldContainer[VolumeClaimMount]
    resources: _common_pb2.ResourceRequirements
    ports: _containers.RepeatedCompositeFieldContainer[ContainerPort]
    restart_policy: RestartPolicy
    max_run_duration: _duration_pb2.Duration
    ttl_after_finished: _duration_pb2.Duration
    container_name: str
    image_pull_policy: str
    stdin: bool
    tty: bool
    def __init__(self, name: _Optional[str] = ..., namespace: _Optional[str] = ..., image: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ..., args: _Optional[_Iterable[str]] = ..., env: _Optional[_Iterable[_Union[EnvVar, _Mapping]]] = ..., labels: _Optional[_Mapping[str, str]] = ..., annotations: _Optional[_Mapping[str, str]] = ..., working_dir: _Optional[str] = ..., host_paths: _Optional[_Iterable[_Union[HostPathMount, _Mapping]]] = ..., volume_claims: _Optional[_Iterable[_Union[VolumeClaimMount, _Mapping]]] = ..., resources: _Optional[_Union[_common_pb2.ResourceRequirements, _Mapping]] = ..., ports: _Optional[_Iterable[_Union[ContainerPort, _Mapping]]] = ..., restart_policy: _Optional[_Union[RestartPolicy, str]] = ..., max_run_duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., ttl_after_finished: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., container_name: _Optional[str] = ..., image_pull_policy: _Optional[str] = ..., stdin: _Optional[bool] = ..., tty: _Optional[bool] = ...) -> None: ...

class ContainerStatus(_message.Message):
    __slots__ = ("name", "image", "ready", "restart_count", "state", "reason", "message", "exit_code", "start_time", "finish_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    RESTART_COUNT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    image: str
    ready: bool
    restart_count: int
    state: str
    reason: str
    message: str
    exit_code: int
    start_time: _timestamp_pb2.Timestamp
    finish_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., image: _Optional[str] = ..., ready: _Optional[bool] = ..., restart_count: _Optional[int] = ..., state: _Optional[str] = ..., reason: _Optional[str] = ..., message: _Optional[str] = ..., exit_code: _Optional[int] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Pod(_message.Message):
    __slots__ = ("name", "namespace", "phase", "ready", "age", "image", "node_name", "pod_ip", "restart_count", "exit_code", "start_time", "finish_time", "reason", "message", "containers", "metadata")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    NODE_NAME_FIELD_NUMBER: _ClassVar[int]
    POD_IP_FIELD_NUMBER: _ClassVar[int]
    RESTART_COUNT_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CONTAINERS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    name: str
    namespace: str
    phase: PodPhase
    ready: bool
    age: _duration_pb2.Duration
    image: str
    node_name: str
    pod_ip: str
    restart_count: int
    exit_code: int
    start_time: _timestamp_pb2.Timestamp
    finish_time: _timestamp_pb2.Timestamp
    reason: str
    message: str
    containers: _containers.RepeatedCompositeFieldContainer[ContainerStatus]
    metadata: _common_pb2.ObjectMeta
    def __init__(self, name: _Optional[str] = ..., namespace: _Optional[str] = ..., phase: _Optional[_Union[PodPhase, str]] = ..., ready: _Optional[bool] = ..., age: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., image: _Optional[str] = ..., node_name: _Optional[str] = ..., pod_ip: _Optional[str] = ..., restart_count: _Optional[int] = ..., exit_code: _Optional[int] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., message: _Optional[str] = ..., containers: _Optional[_Iterable[_Union[ContainerStatus, _Mapping]]] = ..., metadata: _Optional[_Union[_common_pb2.ObjectMeta, _Mapping]] = ...) -> None: ...

class CreatePodRequest(_message.Message):
    __slots__ = ("pod", "validate_only")
    POD_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    pod: PodSpec
    validate_only: bool
    def __init__(self, pod: _Optional[_Union[PodSpec, _Mapping]] = ..., validate_only: _Optional[bool] = ...) -> None: ...

class CreatePodResponse(_message.Message):
    __slots__ = ("pod",)
    POD_FIELD_NUMBER: _ClassVar[int]
    pod: Pod
    def __init__(self, pod: _Optional[_Union[Pod, _Mapping]] = ...) -> None: ...

class GetPodRequest(_message.Message):
    __slots__ = ("namespace", "name")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class GetPodResponse(_message.Message):
    __slots__ = ("pod", "object_json")
    POD_FIELD_NUMBER: _ClassVar[int]
    OBJECT_JSON_FIELD_NUMBER: _ClassVar[int]
    pod: Pod
    object_json: str
    def __init__(self, pod: _Optional[_Union[Pod, _Mapping]] = ..., object_json: _Optional[str] = ...) -> None: ...

class ListPodsRequest(_message.Message):
    __slots__ = ("namespace", "label_selector", "phases", "page_size", "page_token", "managed_only")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    LABEL_SELECTOR_FIELD_NUMBER: _ClassVar[int]
    PHASES_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MANAGED_ONLY_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    label_selector: str
    phases: _containers.RepeatedScalarFieldContainer[PodPhase]
    page_size: int
    page_token: str
    managed_only: bool
    def __init__(self, namespace: _Optional[str] = ..., label_selector: _Optional[str] = ..., phases: _Optional[_Iterable[_Union[PodPhase, str]]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., managed_only: _Optional[bool] = ...) -> None: ...

class ListPodsResponse(_message.Message):
    __slots__ = ("pods", "next_page_token")
    PODS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    pods: _containers.RepeatedCompositeFieldContainer[Pod]
    next_page_token: str
    def __init__(self, pods: _Optional[_Iterable[_Union[Pod, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeletePodRequest(_message.Message):
    __slots__ = ("namespace", "name", "grace_period_seconds", "wait")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    GRACE_PERIOD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    grace_period_seconds: int
    wait: bool
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., grace_period_seconds: _Optional[int] = ..., wait: _Optional[bool] = ...) -> None: ...

class DeletePodResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WatchPodsRequest(_message.Message):
    __slots__ = ("namespace", "label_selector", "send_initial_pods")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    LABEL_SELECTOR_FIELD_NUMBER: _ClassVar[int]
    SEND_INITIAL_PODS_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    label_selector: str
    send_initial_pods: bool
    def __init__(self, namespace: _Optional[str] = ..., label_selector: _Optional[str] = ..., send_initial_pods: _Optional[bool] = ...) -> None: ...

class WatchPodsResponse(_message.Message):
    __slots__ = ("type", "pod")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    POD_FIELD_NUMBER: _ClassVar[int]
    type: WatchEventType
    pod: Pod
    def __init__(self, type: _Optional[_Union[WatchEventType, str]] = ..., pod: _Optional[_Union[Pod, _Mapping]] = ...) -> None: ...

class CleanupPodsRequest(_message.Message):
    __slots__ = ("namespace", "max_age", "keep_failed", "dry_run")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    MAX_AGE_FIELD_NUMBER: _ClassVar[int]
    KEEP_FAILED_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    max_age: _duration_pb2.Duration
    keep_failed: bool
    dry_run: bool
    def __init__(self, namespace: _Optional[str] = ..., max_age: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., keep_failed: _Optional[bool] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class CleanupFailure(_message.Message):
    __slots__ = ("name", "reason")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    name: str
    reason: str
    def __init__(self, name: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CleanupPodsResponse(_message.Message):
    __slots__ = ("deleted_count", "deleted_names", "failures", "dry_run")
    DELETED_COUNT_FIELD_NUMBER: _ClassVar[int]
    DELETED_NAMES_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    deleted_count: int
    deleted_names: _containers.RepeatedScalarFieldContainer[str]
    failures: _containers.RepeatedCompositeFieldContainer[CleanupFailure]
    dry_run: bool
    def __init__(self, deleted_count: _Optional[int] = ..., deleted_names: _Optional[_Iterable[str]] = ..., failures: _Optional[_Iterable[_Union[CleanupFailure, _Mapping]]] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class LogOptions(_message.Message):
    __slots__ = ("container", "tail_lines", "since_seconds", "since_time", "timestamps", "previous", "limit_bytes")
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    TAIL_LINES_FIELD_NUMBER: _ClassVar[int]
    SINCE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SINCE_TIME_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_BYTES_FIELD_NUMBER: _ClassVar[int]
    container: str
    tail_lines: int
    since_seconds: int
    since_time: _timestamp_pb2.Timestamp
    timestamps: bool
    previous: bool
    limit_bytes: int
    def __init__(self, container: _Optional[str] = ..., tail_lines: _Optional[int] = ..., since_seconds: _Optional[int] = ..., since_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., timestamps: _Optional[bool] = ..., previous: _Optional[bool] = ..., limit_bytes: _Optional[int] = ...) -> None: ...

class GetPodLogsRequest(_message.Message):
    __slots__ = ("namespace", "name", "options")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    options: LogOptions
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., options: _Optional[_Union[LogOptions, _Mapping]] = ...) -> None: ...

class GetPodLogsResponse(_message.Message):
    __slots__ = ("content",)
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    def __init__(self, content: _Optional[bytes] = ...) -> None: ...

class FollowPodLogsRequest(_message.Message):
    __slots__ = ("namespace", "name", "options")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    options: LogOptions
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., options: _Optional[_Union[LogOptions, _Mapping]] = ...) -> None: ...

class FollowPodLogsResponse(_message.Message):
    __slots__ = ("data", "end")
    DATA_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    end: LogEndReason
    def __init__(self, data: _Optional[bytes] = ..., end: _Optional[_Union[LogEndReason, str]] = ...) -> None: ...
