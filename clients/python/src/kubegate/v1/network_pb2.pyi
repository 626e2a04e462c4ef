from kubegate.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class KubernetesServiceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KUBERNETES_SERVICE_TYPE_UNSPECIFIED: _ClassVar[KubernetesServiceType]
    KUBERNETES_SERVICE_TYPE_CLUSTER_IP: _ClassVar[KubernetesServiceType]
    KUBERNETES_SERVICE_TYPE_NODE_PORT: _ClassVar[KubernetesServiceType]
    KUBERNETES_SERVICE_TYPE_LOAD_BALANCER: _ClassVar[KubernetesServiceType]

class PathType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PATH_TYPE_UNSPECIFIED: _ClassVar[PathType]
    PATH_TYPE_PREFIX: _ClassVar[PathType]
    PATH_TYPE_EXACT: _ClassVar[PathType]
    PATH_TYPE_IMPLEMENTATION_SPECIFIC: _ClassVar[PathType]
KUBERNETES_SERVICE_TYPE_UNSPECIFIED: KubernetesServiceType
KUBERNETES_SERVICE_TYPE_CLUSTER_IP: KubernetesServiceType
KUBERNETES_SERVICE_TYPE_NODE_PORT: KubernetesServiceType
KUBERNETES_SERVICE_TYPE_LOAD_BALANCER: KubernetesServiceType
PATH_TYPE_UNSPECIFIED: PathType
PATH_TYPE_PREFIX: PathType
PATH_TYPE_EXACT: PathType
PATH_TYPE_IMPLEMENTATION_SPECIFIC: PathType

class ServicePort(_message.Message):
    __slots__ = ("name", "port", "target_port", "target_port_name", "protocol", "node_port")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    TARGET_PORT_FIELD_NUMBER: _ClassVar[int]
    TARGET_PORT_NAME_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    NODE_PORT_FIELD_NUMBER: _ClassVar[int]
    name: str
    port: int
    target_port: int
    target_port_name: str
    protocol: _common_pb2.Protocol
    node_port: int
    def __init__(self, name: _Optional[str] = ..., port: _Optional[int] = ..., target_port: _Optional[int] = ..., target_port_name: _Optional[str] = ..., protocol: _Optional[_Union[_common_pb2.Protocol, str]] = ..., node_port: _Optional[int] = ...) -> None: ...

class KubernetesServiceSpec(_message.Message):
    __slots__ = ("name", "namespace", "selector", "ports", "type", "labels", "annotations")
    class SelectorEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
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
    SELECTOR_FIELD_NUMBER: _ClassVar[int]
    PORTS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    namespace: str
    selector: _containers.ScalarMap[str, str]
    ports: _containers.RepeatedCompositeFieldContainer[ServicePort]
    type: KubernetesServiceType
    labels: _containers.ScalarMap[str, str]
    annotations: _containers.ScalarMap[str, str]
    def __init__(self, name: _Optional[str] = ..., namespace: _Optional[str] = ..., selector: _Optional[_Mapping[str, str]] = ..., ports: _Optional[_Iterable[_Union[ServicePort, _Mapping]]] = ..., type: _Optional[_Union[KubernetesServiceType, str]] = ..., labels: _Optional[_Mapping[str, str]] = ..., annotations: _Optional[_Mapping[str, str]] = ...) -> None: ...

class KubernetesService(_message.Message):
    __slots__ = ("metadata", "selector", "ports", "type", "cluster_ip", "external_addresses")
    class SelectorEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    METADATA_FIELD_NUMBER: _ClassVar[int]
    SELECTOR_FIELD_NUMBER: _ClassVar[int]
    PORTS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_IP_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    metadata: _common_pb2.ObjectMeta
    selector: _containers.ScalarMap[str, str]
    ports: _containers.RepeatedCompositeFieldContainer[ServicePort]
    type: KubernetesServiceType
    cluster_ip: str
    external_addresses: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, metadata: _Optional[_Union[_common_pb2.ObjectMeta, _Mapping]] = ..., selector: _Optional[_Mapping[str, str]] = ..., ports: _Optional[_Iterable[_Union[ServicePort, _Mapping]]] = ..., type: _Optional[_Union[KubernetesServiceType, str]] = ..., cluster_ip: _Optional[str] = ..., external_addresses: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateKubernetesServiceRequest(_message.Message):
    __slots__ = ("service",)
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    service: KubernetesServiceSpec
    def __init__(self, service: _Optional[_Union[KubernetesServiceSpec, _Mapping]] = ...) -> None: ...

class CreateKubernetesServiceResponse(_message.Message):
    __slots__ = ("service",)
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    service: KubernetesService
    def __init__(self, service: _Optional[_Union[KubernetesService, _Mapping]] = ...) -> None: ...

class GetKubernetesServiceRequest(_message.Message):
    __slots__ = ("namespace", "name")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class GetKubernetesServiceResponse(_message.Message):
    __slots__ = ("service", "object_json")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    OBJECT_JSON_FIELD_NUMBER: _ClassVar[int]
    service: KubernetesService
    object_json: str
    def __init__(self, service: _Optional[_Union[KubernetesService, _Mapping]] = ..., object_json: _Optional[str] = ...) -> None: ...

class ListKubernetesServicesRequest(_message.Message):
    __slots__ = ("namespace", "label_selector", "page_size", "page_token")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    LABEL_SELECTOR_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    label_selector: str
    page_size: int
    page_token: str
    def __init__(self, namespace: _Optional[str] = ..., label_selector: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListKubernetesServicesResponse(_message.Message):
    __slots__ = ("services", "next_page_token")
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    services: _containers.RepeatedCompositeFieldContainer[KubernetesService]
    next_page_token: str
    def __init__(self, services: _Optional[_Iterable[_Union[KubernetesService, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteKubernetesServiceRequest(_message.Message):
    __slots__ = ("namespace", "name")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class DeleteKubernetesServiceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class IngressBackend(_message.Message):
    __slots__ = ("service_name", "service_port_number", "service_port_name")
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_PORT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SERVICE_PORT_NAME_FIELD_NUMBER: _ClassVar[int]
    service_name: str
    service_port_number: int
    service_port_name: str
    def __init__(self, service_name: _Optional[str] = ..., service_port_number: _Optional[int] = ..., service_port_name: _Optional[str] = ...) -> None: ...

class IngressPath(_message.Message):
    __slots__ = ("path", "path_type", "backend")
    PATH_FIELD_NUMBER: _ClassVar[int]
    PATH_TYPE_FIELD_NUMBER: _ClassVar[int]
    BACKEND_FIELD_NUMBER: _ClassVar[int]
    path: str
    path_type: PathType
    backend: IngressBackend
    def __init__(self, path: _Optional[str] = ..., path_type: _Optional[_Union[PathType, str]] = ..., backend: _Optional[_Union[IngressBackend, _Mapping]] = ...) -> None: ...

class IngressRule(_message.Message):
    __slots__ = ("host", "paths")
    HOST_FIELD_NUMBER: _ClassVar[int]
    PATHS_FIELD_NUMBER: _ClassVar[int]
    host: str
    paths: _containers.RepeatedCompositeFieldContainer[IngressPath]
    def __init__(self, host: _Optional[str] = ..., paths: _Optional[_Iterable[_Union[IngressPath, _Mapping]]] = ...) -> None: ...

class IngressTls(_message.Message):
    __slots__ = ("hosts", "secret_name")
    HOSTS_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    hosts: _containers.RepeatedScalarFieldContainer[str]
    secret_name: str
    def __init__(self, hosts: _Optional[_Iterable[str]] = ..., secret_name: _Optional[str] = ...) -> None: ...

class IngressSpec(_message.Message):
    __slots__ = ("name", "namespace", "rules", "annotations", "ingress_class_name", "tls", "labels", "default_backend")
    class AnnotationsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    INGRESS_CLASS_NAME_FIELD_NUMBER: _ClassVar[int]
    TLS_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_BACKEND_FIELD_NUMBER: _ClassVar[int]
    name: str
    namespace: str
    rules: _containers.RepeatedCompositeFieldContainer[IngressRule]
    annotations: _containers.ScalarMap[str, str]
    ingress_class_name: str
    tls: _containers.RepeatedCompositeFieldContainer[IngressTls]
    labels: _containers.ScalarMap[str, str]
    default_backend: IngressBackend
    def __init__(self, name: _Optional[str] = ..., namespace: _Optional[str] = ..., rules: _Optional[_Iterable[_Union[IngressRule, _Mapping]]] = ..., annotations: _Optional[_Mapping[str, str]] = ..., ingress_class_name: _Optional[str] = ..., tls: _Optional[_Iterable[_Union[IngressTls, _Mapping]]] = ..., labels: _Optional[_Mapping[str, str]] = ..., default_backend: _Optional[_Union[IngressBackend, _Mapping]] = ...) -> None: ...

class Ingress(_message.Message):
    __slots__ = ("metadata", "rules", "ingress_class_name", "tls", "addresses", "default_backend")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    INGRESS_CLASS_NAME_FIELD_NUMBER: _ClassVar[int]
    TLS_FIELD_NUMBER: _ClassVar[int]
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_BACKEND_FIELD_NUMBER: _ClassVar[int]
    metadata: _common_pb2.ObjectMeta
    rules: _containers.RepeatedCompositeFieldContainer[IngressRule]
    ingress_class_name: str
    tls: _containers.RepeatedCompositeFieldContainer[IngressTls]
    addresses: _containers.RepeatedScalarFieldContainer[str]
    default_backend: IngressBackend
    def __init__(self, metadata: _Optional[_Union[_common_pb2.ObjectMeta, _Mapping]] = ..., rules: _Optional[_Iterable[_Union[IngressRule, _Mapping]]] = ..., ingress_class_name: _Optional[str] = ..., tls: _Optional[_Iterable[_Union[IngressTls, _Mapping]]] = ..., addresses: _Optional[_Iterable[str]] = ..., default_backend: _Optional[_Union[IngressBackend, _Mapping]] = ...) -> None: ...

class CreateIngressRequest(_message.Message):
    __slots__ = ("ingress",)
    INGRESS_FIELD_NUMBER: _ClassVar[int]
    ingress: IngressSpec
    def __init__(self, ingress: _Optional[_Union[IngressSpec, _Mapping]] = ...) -> None: ...

class CreateIngressResponse(_message.Message):
    __slots__ = ("ingress",)
    INGRESS_FIELD_NUMBER: _ClassVar[int]
    ingress: Ingress
    def __init__(self, ingress: _Optional[_Union[Ingress, _Mapping]] = ...) -> None: ...

class GetIngressRequest(_message.Message):
    __slots__ = ("namespace", "name")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class GetIngressResponse(_message.Message):
    __slots__ = ("ingress", "object_json")
    INGRESS_FIELD_NUMBER: _ClassVar[int]
    OBJECT_JSON_FIELD_NUMBER: _ClassVar[int]
    ingress: Ingress
    object_json: str
    def __init__(self, ingress: _Optional[_Union[Ingress, _Mapping]] = ..., object_json: _Optional[str] = ...) -> None: ...

class ListIngressesRequest(_message.Message):
    __slots__ = ("namespace", "label_selector", "page_size", "page_token")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    LABEL_SELECTOR_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    label_selector: str
    page_size: int
    page_token: str
    def __init__(self, namespace: _Optional[str] = ..., label_selector: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListIngressesResponse(_message.Message):
    __slots__ = ("ingresses", "next_page_token")
    INGRESSES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ingresses: _containers.RepeatedCompositeFieldContainer[Ingress]
    next_page_token: str
    def __init__(self, ingresses: _Optional[_Iterable[_Union[Ingress, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteIngressRequest(_message.Message):
    __slots__ = ("namespace", "name")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class DeleteIngressResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
