import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from kubegate.v1 import common_pb2 as _common_pb2
from kubegate.v1 import network_pb2 as _network_pb2
from kubegate.v1 import pods_pb2 as _pods_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TestRunOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEST_RUN_OUTCOME_UNSPECIFIED: _ClassVar[TestRunOutcome]
    TEST_RUN_OUTCOME_PASSED: _ClassVar[TestRunOutcome]
    TEST_RUN_OUTCOME_TESTS_FAILED: _ClassVar[TestRunOutcome]
    TEST_RUN_OUTCOME_UNKNOWN_COMMIT: _ClassVar[TestRunOutcome]
    TEST_RUN_OUTCOME_CHECKOUT_FAILED: _ClassVar[TestRunOutcome]
    TEST_RUN_OUTCOME_IMAGE_UNAVAILABLE: _ClassVar[TestRunOutcome]
    TEST_RUN_OUTCOME_NEVER_STARTED: _ClassVar[TestRunOutcome]
    TEST_RUN_OUTCOME_TIMED_OUT: _ClassVar[TestRunOutcome]
TEST_RUN_OUTCOME_UNSPECIFIED: TestRunOutcome
TEST_RUN_OUTCOME_PASSED: TestRunOutcome
TEST_RUN_OUTCOME_TESTS_FAILED: TestRunOutcome
TEST_RUN_OUTCOME_UNKNOWN_COMMIT: TestRunOutcome
TEST_RUN_OUTCOME_CHECKOUT_FAILED: TestRunOutcome
TEST_RUN_OUTCOME_IMAGE_UNAVAILABLE: TestRunOutcome
TEST_RUN_OUTCOME_NEVER_STARTED: TestRunOutcome
TEST_RUN_OUTCOME_TIMED_OUT: TestRunOutcome

class ProjectLocation(_message.Message):
    __slots__ = ("claim_name", "path")
    CLAIM_NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    claim_name: str
    path: str
    def __init__(self, claim_name: _Optional[str] = ..., path: _Optional[str] = ...) -> None: ...

class RunTestsRequest(_message.Message):
    __slots__ = ("namespace", "name", "repository", "commit", "command", "image", "env", "resources", "timeout", "ttl_after_finished", "log_tail_lines", "labels")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REPOSITORY_FIELD_NUMBER: _ClassVar[int]
    COMMIT_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TTL_AFTER_FINISHED_FIELD_NUMBER: _ClassVar[int]
    LOG_TAIL_LINES_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    repository: ProjectLocation
    commit: str
    command: str
    image: str
    env: _containers.RepeatedCompositeFieldContainer[_pods_pb2.EnvVar]
    resources: _common_pb2.ResourceRequirements
    timeout: _duration_pb2.Duration
    ttl_after_finished: _duration_pb2.Duration
    log_tail_lines: int
    labels: _containers.ScalarMap[str, str]
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., repository: _Optional[_Union[ProjectLocation, _Mapping]] = ..., commit: _Optional[str] = ..., command: _Optional[str] = ..., image: _Optional[str] = ..., env: _Optional[_Iterable[_Union[_pods_pb2.EnvVar, _Mapping]]] = ..., resources: _Optional[_Union[_common_pb2.ResourceRequirements, _Mapping]] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., ttl_after_finished: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., log_tail_lines: _Optional[int] = ..., labels: _Optional[_Mapping[str, str]] = ...) -> None: ...

class StreamTestRunRequest(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: RunTestsRequest
    def __init__(self, run: _Optional[_Union[RunTestsRequest, _Mapping]] = ...) -> None: ...

class RunTestsResponse(_message.Message):
    __slots__ = ("pod_name", "namespace", "outcome", "exit_code", "duration", "log_tail", "message", "image", "commit")
    POD_NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    LOG_TAIL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    COMMIT_FIELD_NUMBER: _ClassVar[int]
    pod_name: str
    namespace: str
    outcome: TestRunOutcome
    exit_code: int
    duration: _duration_pb2.Duration
    log_tail: str
    message: str
    image: str
    commit: str
    def __init__(self, pod_name: _Optional[str] = ..., namespace: _Optional[str] = ..., outcome: _Optional[_Union[TestRunOutcome, str]] = ..., exit_code: _Optional[int] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., log_tail: _Optional[str] = ..., message: _Optional[str] = ..., image: _Optional[str] = ..., commit: _Optional[str] = ...) -> None: ...

class TestRunScheduled(_message.Message):
    __slots__ = ("pod_name", "node_name", "image")
    POD_NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_NAME_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    pod_name: str
    node_name: str
    image: str
    def __init__(self, pod_name: _Optional[str] = ..., node_name: _Optional[str] = ..., image: _Optional[str] = ...) -> None: ...

class TestRunRunning(_message.Message):
    __slots__ = ("start_time",)
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StreamTestRunResponse(_message.Message):
    __slots__ = ("scheduled", "running", "output", "finished")
    SCHEDULED_FIELD_NUMBER: _ClassVar[int]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_FIELD_NUMBER: _ClassVar[int]
    scheduled: TestRunScheduled
    running: TestRunRunning
    output: bytes
    finished: RunTestsResponse
    def __init__(self, scheduled: _Optional[_Union[TestRunScheduled, _Mapping]] = ..., running: _Optional[_Union[TestRunRunning, _Mapping]] = ..., output: _Optional[bytes] = ..., finished: _Optional[_Union[RunTestsResponse, _Mapping]] = ...) -> None: ...

class CreatePreviewRequest(_message.Message):
    __slots__ = ("namespace", "name", "image", "command", "args", "env", "port", "host", "path", "websocket", "ingress_class_name", "volume_claims", "labels", "resources", "working_dir", "tls_secret_name")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    WEBSOCKET_FIELD_NUMBER: _ClassVar[int]
    INGRESS_CLASS_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_CLAIMS_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    WORKING_DIR_FIELD_NUMBER: _ClassVar[int]
    TLS_SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    image: str
    command: _containers.RepeatedScalarFieldContainer[str]
    args: _containers.RepeatedScalarFieldContainer[str]
    env: _containers.RepeatedCompositeFieldContainer[_pods_pb2.EnvVar]
    port: int
    host: str
    path: str
    websocket: bool
    ingress_class_name: str
    volume_claims: _containers.RepeatedCompositeFieldContainer[_pods_pb2.VolumeClaimMount]
    labels: _containers.ScalarMap[str, str]
    resources: _common_pb2.ResourceRequirements
    working_dir: str
    tls_secret_name: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., image: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ..., args: _Optional[_Iterable[str]] = ..., env: _Optional[_Iterable[_Union[_pods_pb2.EnvVar, _Mapping]]] = ..., port: _Optional[int] = ..., host: _Optional[str] = ..., path: _Optional[str] = ..., websocket: _Optional[bool] = ..., ingress_class_name: _Optional[str] = ..., volume_claims: _Optional[_Iterable[_Union[_pods_pb2.VolumeClaimMount, _Mapping]]] = ..., labels: _Optional[_Mapping[str, str]] = ..., resources: _Optional[_Union[_common_pb2.ResourceRequirements, _Mapping]] = ..., working_dir: _Optional[str] = ..., tls_secret_name: _Optional[str] = ...) -> None: ...

class Preview(_message.Message):
    __slots__ = ("name", "namespace", "url", "host", "pod", "service", "ingress")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    POD_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    INGRESS_FIELD_NUMBER: _ClassVar[int]
    name: str
    namespace: str
    url: str
    host: str
    pod: _pods_pb2.Pod
    service: _network_pb2.KubernetesService
    ingress: _network_pb2.Ingress
    def __init__(self, name: _Optional[str] = ..., namespace: _Optional[str] = ..., url: _Optional[str] = ..., host: _Optional[str] = ..., pod: _Optional[_Union[_pods_pb2.Pod, _Mapping]] = ..., service: _Optional[_Union[_network_pb2.KubernetesService, _Mapping]] = ..., ingress: _Optional[_Union[_network_pb2.Ingress, _Mapping]] = ...) -> None: ...

class CreatePreviewResponse(_message.Message):
    __slots__ = ("preview",)
    PREVIEW_FIELD_NUMBER: _ClassVar[int]
    preview: Preview
    def __init__(self, preview: _Optional[_Union[Preview, _Mapping]] = ...) -> None: ...

class GetPreviewRequest(_message.Message):
    __slots__ = ("namespace", "name")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class GetPreviewResponse(_message.Message):
    __slots__ = ("preview",)
    PREVIEW_FIELD_NUMBER: _ClassVar[int]
    preview: Preview
    def __init__(self, preview: _Optional[_Union[Preview, _Mapping]] = ...) -> None: ...

class ListPreviewsRequest(_message.Message):
    __slots__ = ("namespace",)
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    def __init__(self, namespace: _Optional[str] = ...) -> None: ...

class ListPreviewsResponse(_message.Message):
    __slots__ = ("previews",)
    PREVIEWS_FIELD_NUMBER: _ClassVar[int]
    previews: _containers.RepeatedCompositeFieldContainer[Preview]
    def __init__(self, previews: _Optional[_Iterable[_Union[Preview, _Mapping]]] = ...) -> None: ...

class DeletePreviewRequest(_message.Message):
    __slots__ = ("namespace", "name")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class DeletePreviewResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MatchImageRequest(_message.Message):
    __slots__ = ("project", "commit")
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    COMMIT_FIELD_NUMBER: _ClassVar[int]
    project: ProjectLocation
    commit: str
    def __init__(self, project: _Optional[_Union[ProjectLocation, _Mapping]] = ..., commit: _Optional[str] = ...) -> None: ...

class RuntimeVersion(_message.Message):
    __slots__ = ("runtime", "version", "file", "line")
    RUNTIME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    runtime: str
    version: str
    file: str
    line: int
    def __init__(self, runtime: _Optional[str] = ..., version: _Optional[str] = ..., file: _Optional[str] = ..., line: _Optional[int] = ...) -> None: ...

class VersionConflict(_message.Message):
    __slots__ = ("runtime", "findings")
    RUNTIME_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    runtime: str
    findings: _containers.RepeatedCompositeFieldContainer[RuntimeVersion]
    def __init__(self, runtime: _Optional[str] = ..., findings: _Optional[_Iterable[_Union[RuntimeVersion, _Mapping]]] = ...) -> None: ...

class MalformedFile(_message.Message):
    __slots__ = ("file", "error")
    FILE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    file: str
    error: str
    def __init__(self, file: _Optional[str] = ..., error: _Optional[str] = ...) -> None: ...

class MatchImageResponse(_message.Message):
    __slots__ = ("found", "image", "runtime", "chosen", "major_only", "conflicts", "malformed", "notes")
    FOUND_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_FIELD_NUMBER: _ClassVar[int]
    CHOSEN_FIELD_NUMBER: _ClassVar[int]
    MAJOR_ONLY_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    MALFORMED_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    found: _containers.RepeatedCompositeFieldContainer[RuntimeVersion]
    image: str
    runtime: str
    chosen: RuntimeVersion
    major_only: bool
    conflicts: _containers.RepeatedCompositeFieldContainer[VersionConflict]
    malformed: _containers.RepeatedCompositeFieldContainer[MalformedFile]
    notes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, found: _Optional[_Iterable[_Union[RuntimeVersion, _Mapping]]] = ..., image: _Optional[str] = ..., runtime: _Optional[str] = ..., chosen: _Optional[_Union[RuntimeVersion, _Mapping]] = ..., major_only: _Optional[bool] = ..., conflicts: _Optional[_Iterable[_Union[VersionConflict, _Mapping]]] = ..., malformed: _Optional[_Iterable[_Union[MalformedFile, _Mapping]]] = ..., notes: _Optional[_Iterable[str]] = ...) -> None: ...
