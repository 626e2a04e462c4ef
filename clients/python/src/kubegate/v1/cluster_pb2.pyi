import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from kubegate.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConnectionProblem(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONNECTION_PROBLEM_UNSPECIFIED: _ClassVar[ConnectionProblem]
    CONNECTION_PROBLEM_NOT_CONFIGURED: _ClassVar[ConnectionProblem]
    CONNECTION_PROBLEM_KUBECONFIG_INVALID: _ClassVar[ConnectionProblem]
    CONNECTION_PROBLEM_UNREACHABLE: _ClassVar[ConnectionProblem]
    CONNECTION_PROBLEM_TLS: _ClassVar[ConnectionProblem]
    CONNECTION_PROBLEM_UNAUTHENTICATED: _ClassVar[ConnectionProblem]
    CONNECTION_PROBLEM_SERVER_ERROR: _ClassVar[ConnectionProblem]
CONNECTION_PROBLEM_UNSPECIFIED: ConnectionProblem
CONNECTION_PROBLEM_NOT_CONFIGURED: ConnectionProblem
CONNECTION_PROBLEM_KUBECONFIG_INVALID: ConnectionProblem
CONNECTION_PROBLEM_UNREACHABLE: ConnectionProblem
CONNECTION_PROBLEM_TLS: ConnectionProblem
CONNECTION_PROBLEM_UNAUTHENTICATED: ConnectionProblem
CONNECTION_PROBLEM_SERVER_ERROR: ConnectionProblem

class ClusterSettings(_message.Message):
    __slots__ = ("enabled", "namespace", "kubeconfig_path", "allowed_namespaces", "allowed_host_path_prefixes", "default_resources", "cleanup_max_age")
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    KUBECONFIG_PATH_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_NAMESPACES_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_HOST_PATH_PREFIXES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_RESOURCES_FIELD_NUMBER: _ClassVar[int]
    CLEANUP_MAX_AGE_FIELD_NUMBER: _ClassVar[int]
    enabled: bool
    namespace: str
    kubeconfig_path: str
    allowed_namespaces: _containers.RepeatedScalarFieldContainer[str]
    allowed_host_path_prefixes: _containers.RepeatedScalarFieldContainer[str]
    default_resources: _common_pb2.ResourceRequirements
    cleanup_max_age: _duration_pb2.Duration
    def __init__(self, enabled: _Optional[bool] = ..., namespace: _Optional[str] = ..., kubeconfig_path: _Optional[str] = ..., allowed_namespaces: _Optional[_Iterable[str]] = ..., allowed_host_path_prefixes: _Optional[_Iterable[str]] = ..., default_resources: _Optional[_Union[_common_pb2.ResourceRequirements, _Mapping]] = ..., cleanup_max_age: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class GetClusterSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetClusterSettingsResponse(_message.Message):
    __slots__ = ("settings", "settings_path")
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_PATH_FIELD_NUMBER: _ClassVar[int]
    settings: ClusterSettings
    settings_path: str
    def __init__(self, settings: _Optional[_Union[ClusterSettings, _Mapping]] = ..., settings_path: _Optional[str] = ...) -> None: ...

class UpdateClusterSettingsRequest(_message.Message):
    __slots__ = ("settings", "update_mask")
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    settings: ClusterSettings
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, settings: _Optional[_Union[ClusterSettings, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateClusterSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: ClusterSettings
    def __init__(self, settings: _Optional[_Union[ClusterSettings, _Mapping]] = ...) -> None: ...

class TestConnectionRequest(_message.Message):
    __slots__ = ("namespace",)
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    def __init__(self, namespace: _Optional[str] = ...) -> None: ...

class PermissionCheck(_message.Message):
    __slots__ = ("verb", "group", "resource", "subresource", "allowed", "reason")
    VERB_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    SUBRESOURCE_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    verb: str
    group: str
    resource: str
    subresource: str
    allowed: bool
    reason: str
    def __init__(self, verb: _Optional[str] = ..., group: _Optional[str] = ..., resource: _Optional[str] = ..., subresource: _Optional[str] = ..., allowed: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class TestConnectionResponse(_message.Message):
    __slots__ = ("connected", "namespace", "server_version", "username", "groups", "permissions", "all_permissions_allowed", "problem", "error", "server_url")
    CONNECTED_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    SERVER_VERSION_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    ALL_PERMISSIONS_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    SERVER_URL_FIELD_NUMBER: _ClassVar[int]
    connected: bool
    namespace: str
    server_version: str
    username: str
    groups: _containers.RepeatedScalarFieldContainer[str]
    permissions: _containers.RepeatedCompositeFieldContainer[PermissionCheck]
    all_permissions_allowed: bool
    problem: ConnectionProblem
    error: str
    server_url: str
    def __init__(self, connected: _Optional[bool] = ..., namespace: _Optional[str] = ..., server_version: _Optional[str] = ..., username: _Optional[str] = ..., groups: _Optional[_Iterable[str]] = ..., permissions: _Optional[_Iterable[_Union[PermissionCheck, _Mapping]]] = ..., all_permissions_allowed: _Optional[bool] = ..., problem: _Optional[_Union[ConnectionProblem, str]] = ..., error: _Optional[str] = ..., server_url: _Optional[str] = ...) -> None: ...
