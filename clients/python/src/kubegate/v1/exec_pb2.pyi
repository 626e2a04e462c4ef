import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExecEndReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXEC_END_REASON_UNSPECIFIED: _ClassVar[ExecEndReason]
    EXEC_END_REASON_EXITED: _ClassVar[ExecEndReason]
    EXEC_END_REASON_TIMED_OUT: _ClassVar[ExecEndReason]
    EXEC_END_REASON_KILLED: _ClassVar[ExecEndReason]
    EXEC_END_REASON_CONNECTION_LOST: _ClassVar[ExecEndReason]
    EXEC_END_REASON_EXPIRED: _ClassVar[ExecEndReason]

class ExecSignal(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXEC_SIGNAL_UNSPECIFIED: _ClassVar[ExecSignal]
    EXEC_SIGNAL_INTERRUPT: _ClassVar[ExecSignal]
    EXEC_SIGNAL_TERMINATE: _ClassVar[ExecSignal]
    EXEC_SIGNAL_KILL: _ClassVar[ExecSignal]

class ExecSessionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXEC_SESSION_STATE_UNSPECIFIED: _ClassVar[ExecSessionState]
    EXEC_SESSION_STATE_ATTACHED: _ClassVar[ExecSessionState]
    EXEC_SESSION_STATE_DETACHED: _ClassVar[ExecSessionState]
    EXEC_SESSION_STATE_EXITED: _ClassVar[ExecSessionState]
EXEC_END_REASON_UNSPECIFIED: ExecEndReason
EXEC_END_REASON_EXITED: ExecEndReason
EXEC_END_REASON_TIMED_OUT: ExecEndReason
EXEC_END_REASON_KILLED: ExecEndReason
EXEC_END_REASON_CONNECTION_LOST: ExecEndReason
EXEC_END_REASON_EXPIRED: ExecEndReason
EXEC_SIGNAL_UNSPECIFIED: ExecSignal
EXEC_SIGNAL_INTERRUPT: ExecSignal
EXEC_SIGNAL_TERMINATE: ExecSignal
EXEC_SIGNAL_KILL: ExecSignal
EXEC_SESSION_STATE_UNSPECIFIED: ExecSessionState
EXEC_SESSION_STATE_ATTACHED: ExecSessionState
EXEC_SESSION_STATE_DETACHED: ExecSessionState
EXEC_SESSION_STATE_EXITED: ExecSessionState

class ExecRequest(_message.Message):
    __slots__ = ("namespace", "pod", "container", "command", "stdin", "timeout", "output_limit_bytes")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    POD_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    STDIN_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_LIMIT_BYTES_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    pod: str
    container: str
    command: _containers.RepeatedScalarFieldContainer[str]
    stdin: bytes
    timeout: _duration_pb2.Duration
    output_limit_bytes: int
    def __init__(self, namespace: _Optional[str] = ..., pod: _Optional[str] = ..., container: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ..., stdin: _Optional[bytes] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., output_limit_bytes: _Optional[int] = ...) -> None: ...

class ExecResponse(_message.Message):
    __slots__ = ("stdout", "stderr", "exit_code", "end_reason", "stdout_truncated", "stderr_truncated", "duration")
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    STDERR_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    END_REASON_FIELD_NUMBER: _ClassVar[int]
    STDOUT_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    STDERR_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    stdout: bytes
    stderr: bytes
    exit_code: int
    end_reason: ExecEndReason
    stdout_truncated: bool
    stderr_truncated: bool
    duration: _duration_pb2.Duration
    def __init__(self, stdout: _Optional[bytes] = ..., stderr: _Optional[bytes] = ..., exit_code: _Optional[int] = ..., end_reason: _Optional[_Union[ExecEndReason, str]] = ..., stdout_truncated: _Optional[bool] = ..., stderr_truncated: _Optional[bool] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class TerminalSize(_message.Message):
    __slots__ = ("cols", "rows")
    COLS_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    cols: int
    rows: int
    def __init__(self, cols: _Optional[int] = ..., rows: _Optional[int] = ...) -> None: ...

class ExecStart(_message.Message):
    __slots__ = ("namespace", "pod", "container", "command", "tty", "terminal_size", "stdin", "detach_grace_period")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    POD_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    TTY_FIELD_NUMBER: _ClassVar[int]
    TERMINAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    STDIN_FIELD_NUMBER: _ClassVar[int]
    DETACH_GRACE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    pod: str
    container: str
    command: _containers.RepeatedScalarFieldContainer[str]
    tty: bool
    terminal_size: TerminalSize
    stdin: bool
    detach_grace_period: _duration_pb2.Duration
    def __init__(self, namespace: _Optional[str] = ..., pod: _Optional[str] = ..., container: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ..., tty: _Optional[bool] = ..., terminal_size: _Optional[_Union[TerminalSize, _Mapping]] = ..., stdin: _Optional[bool] = ..., detach_grace_period: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ExecInput(_message.Message):
    __slots__ = ("stdin", "resize", "close_stdin", "signal", "keepalive")
    STDIN_FIELD_NUMBER: _ClassVar[int]
    RESIZE_FIELD_NUMBER: _ClassVar[int]
    CLOSE_STDIN_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    KEEPALIVE_FIELD_NUMBER: _ClassVar[int]
    stdin: bytes
    resize: TerminalSize
    close_stdin: bool
    signal: ExecSignal
    keepalive: bool
    def __init__(self, stdin: _Optional[bytes] = ..., resize: _Optional[_Union[TerminalSize, _Mapping]] = ..., close_stdin: _Optional[bool] = ..., signal: _Optional[_Union[ExecSignal, str]] = ..., keepalive: _Optional[bool] = ...) -> None: ...

class ExecStarted(_message.Message):
    __slots__ = ("session_id", "container", "command")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    container: str
    command: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, session_id: _Optional[str] = ..., container: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ...) -> None: ...

class OutputChunk(_message.Message):
    __slots__ = ("data", "offset")
    DATA_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    offset: int
    def __init__(self, data: _Optional[bytes] = ..., offset: _Optional[int] = ...) -> None: ...

class OutputGap(_message.Message):
    __slots__ = ("requested_offset", "resumed_offset")
    REQUESTED_OFFSET_FIELD_NUMBER: _ClassVar[int]
    RESUMED_OFFSET_FIELD_NUMBER: _ClassVar[int]
    requested_offset: int
    resumed_offset: int
    def __init__(self, requested_offset: _Optional[int] = ..., resumed_offset: _Optional[int] = ...) -> None: ...

class ExecExit(_message.Message):
    __slots__ = ("exit_code", "reason", "message")
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    exit_code: int
    reason: ExecEndReason
    message: str
    def __init__(self, exit_code: _Optional[int] = ..., reason: _Optional[_Union[ExecEndReason, str]] = ..., message: _Optional[str] = ...) -> None: ...

class ExecEvent(_message.Message):
    __slots__ = ("started", "stdout", "stderr", "exit", "keepalive", "gap")
    STARTED_FIELD_NUMBER: _ClassVar[int]
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    STDERR_FIELD_NUMBER: _ClassVar[int]
    EXIT_FIELD_NUMBER: _ClassVar[int]
    KEEPALIVE_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    started: ExecStarted
    stdout: OutputChunk
    stderr: OutputChunk
    exit: ExecExit
    keepalive: bool
    gap: OutputGap
    def __init__(self, started: _Optional[_Union[ExecStarted, _Mapping]] = ..., stdout: _Optional[_Union[OutputChunk, _Mapping]] = ..., stderr: _Optional[_Union[OutputChunk, _Mapping]] = ..., exit: _Optional[_Union[ExecExit, _Mapping]] = ..., keepalive: _Optional[bool] = ..., gap: _Optional[_Union[OutputGap, _Mapping]] = ...) -> None: ...

class ExecStreamRequest(_message.Message):
    __slots__ = ("start", "input")
    START_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    start: ExecStart
    input: ExecInput
    def __init__(self, start: _Optional[_Union[ExecStart, _Mapping]] = ..., input: _Optional[_Union[ExecInput, _Mapping]] = ...) -> None: ...

class ExecStreamResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: ExecEvent
    def __init__(self, event: _Optional[_Union[ExecEvent, _Mapping]] = ...) -> None: ...

class ExecSession(_message.Message):
    __slots__ = ("session_id", "namespace", "pod", "container", "command", "tty", "state", "start_time", "detach_time", "output_offset", "buffered_from_offset", "exit")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    POD_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    TTY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    DETACH_TIME_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    BUFFERED_FROM_OFFSET_FIELD_NUMBER: _ClassVar[int]
    EXIT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    namespace: str
    pod: str
    container: str
    command: _containers.RepeatedScalarFieldContainer[str]
    tty: bool
    state: ExecSessionState
    start_time: _timestamp_pb2.Timestamp
    detach_time: _timestamp_pb2.Timestamp
    output_offset: int
    buffered_from_offset: int
    exit: ExecExit
    def __init__(self, session_id: _Optional[str] = ..., namespace: _Optional[str] = ..., pod: _Optional[str] = ..., container: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ..., tty: _Optional[bool] = ..., state: _Optional[_Union[ExecSessionState, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., detach_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., output_offset: _Optional[int] = ..., buffered_from_offset: _Optional[int] = ..., exit: _Optional[_Union[ExecExit, _Mapping]] = ...) -> None: ...

class ListExecSessionsRequest(_message.Message):
    __slots__ = ("namespace", "pod", "page_size", "page_token")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    POD_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    pod: str
    page_size: int
    page_token: str
    def __init__(self, namespace: _Optional[str] = ..., pod: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListExecSessionsResponse(_message.Message):
    __slots__ = ("sessions", "next_page_token")
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    sessions: _containers.RepeatedCompositeFieldContainer[ExecSession]
    next_page_token: str
    def __init__(self, sessions: _Optional[_Iterable[_Union[ExecSession, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ExecAttach(_message.Message):
    __slots__ = ("session_id", "offset")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    offset: int
    def __init__(self, session_id: _Optional[str] = ..., offset: _Optional[int] = ...) -> None: ...

class AttachExecSessionRequest(_message.Message):
    __slots__ = ("attach", "input")
    ATTACH_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    attach: ExecAttach
    input: ExecInput
    def __init__(self, attach: _Optional[_Union[ExecAttach, _Mapping]] = ..., input: _Optional[_Union[ExecInput, _Mapping]] = ...) -> None: ...

class AttachExecSessionResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: ExecEvent
    def __init__(self, event: _Optional[_Union[ExecEvent, _Mapping]] = ...) -> None: ...

class TerminateExecSessionRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class TerminateExecSessionResponse(_message.Message):
    __slots__ = ("exit",)
    EXIT_FIELD_NUMBER: _ClassVar[int]
    exit: ExecExit
    def __init__(self, exit: _Optional[_Union[ExecExit, _Mapping]] = ...) -> None: ...
