"""A thin convenience layer over kubegate's generated gRPC stubs.

    from kubegate_client import Kubegate
    kg = Kubegate("127.0.0.1:50051")                      # the token: token=..., else $KUBEGATE_API_TOKEN
    code, out, err = kg.run("my-pod", ["sh", "-c", "exit 3"])
    with kg.session("my-pod", ["cat"]) as s:
        s.send(b"hello\\n"); s.close_stdin()
        for kind, value in s: ...                         # ("stdout", b"hello\\n"), ("exit", 0)

The generated API stays usable directly: `kg.pods`, `kg.execs`, `kg.network`, `kg.cluster`, `kg.workflows`
are the stubs, and `kubegate.v1.*_pb2` the messages. Errors are `grpc.RpcError`; `.code()` says which.
"""

from __future__ import annotations

import os
import queue
import threading
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence, Tuple

import grpc

from kubegate.v1 import (
    cluster_pb2_grpc,
    exec_pb2,
    exec_pb2_grpc,
    network_pb2_grpc,
    pods_pb2,
    pods_pb2_grpc,
    workflows_pb2_grpc,
)

__all__ = ["Kubegate", "ExecResult", "Session", "TOKEN_VARIABLE"]

TOKEN_VARIABLE = "KUBEGATE_API_TOKEN"
"""The environment variable the token is taken from when none is passed in code."""


class _Token(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
             grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to every call."""

    def __init__(self, token: str):
        self._metadata = (("authorization", f"Bearer {token}"),)

    def _details(self, details):
        metadata = tuple(details.metadata or ()) + self._metadata
        return details._replace(metadata=metadata) if hasattr(details, "_replace") else _Details(details, metadata)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._details(details), requests)


class _Details(grpc.ClientCallDetails):
    def __init__(self, details, metadata):
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


@dataclass(frozen=True)
class ExecResult:
    """The outcome of a one-shot command."""

    exit_code: int
    stdout: bytes
    stderr: bytes

    def __iter__(self):
        return iter((self.exit_code, self.stdout, self.stderr))


class Session:
    """An interactive exec stream: send input, iterate output events until the exit event."""

    def __init__(self, stub: exec_pb2_grpc.ExecServiceStub, start: exec_pb2.ExecStart, timeout: Optional[float]):
        self._inputs: "queue.Queue[Optional[exec_pb2.ExecStreamRequest]]" = queue.Queue(maxsize=64)
        self._inputs.put(exec_pb2.ExecStreamRequest(start=start))
        self._call = stub.ExecStream(self._requests(), timeout=timeout)
        self.session_id: Optional[str] = None
        self.exit_code: Optional[int] = None
        self._lock = threading.Lock()

    def _requests(self):
        while True:
            item = self._inputs.get()
            if item is None:
                return
            yield item

    def _input(self, **kind) -> None:
        self._inputs.put(exec_pb2.ExecStreamRequest(input=exec_pb2.ExecInput(**kind)))

    def send(self, data: bytes) -> None:
        """Writes bytes to the command's stdin (blocks when 64 inputs are already waiting)."""
        self._input(stdin=data)

    def resize(self, cols: int, rows: int) -> None:
        """Sets the terminal size (TTY sessions)."""
        self._input(resize=exec_pb2.TerminalSize(cols=cols, rows=rows))

    def close_stdin(self) -> None:
        """Ends the command's stdin."""
        self._input(close_stdin=True)

    def __iter__(self) -> Iterator[Tuple[str, object]]:
        """Yields ("started", id), ("stdout", bytes), ("stderr", bytes), ("gap", (asked, resumed)) and
        finally ("exit", code) — or ("ended", reason) when the command did not exit on its own."""
        for response in self._call:
            event = response.event
            kind = event.WhichOneof("kind")
            if kind == "started":
                self.session_id = event.started.session_id
                yield "started", self.session_id
            elif kind in ("stdout", "stderr"):
                yield kind, getattr(event, kind).data
            elif kind == "gap":
                yield "gap", (event.gap.requested_offset, event.gap.resumed_offset)
            elif kind == "exit":
                if event.exit.reason == exec_pb2.EXEC_END_REASON_EXITED:
                    self.exit_code = event.exit.exit_code
                    yield "exit", event.exit.exit_code
                else:
                    yield "ended", exec_pb2.ExecEndReason.Name(event.exit.reason)
                return

    def close(self) -> None:
        """Stops sending; the service keeps the session for a reattach until its grace period ends."""
        self._inputs.put(None)
        self._call.cancel()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Kubegate:
    """A connection to kubegate's gRPC API. Every call carries the API token: `token` when given, else
    the environment variable KUBEGATE_API_TOKEN; with neither, calls go without one (a `--no-auth`
    service)."""

    def __init__(self, target: str = "127.0.0.1:50051", token: Optional[str] = None,
                 channel: Optional[grpc.Channel] = None):
        channel = channel or grpc.insecure_channel(
            target, options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)])
        token = (token or os.environ.get(TOKEN_VARIABLE, "")).strip()
        if token:
            channel = grpc.intercept_channel(channel, _Token(token))
        self.channel = channel
        self.pods = pods_pb2_grpc.PodServiceStub(channel)
        self.execs = exec_pb2_grpc.ExecServiceStub(channel)
        self.network = network_pb2_grpc.NetworkServiceStub(channel)
        self.cluster = cluster_pb2_grpc.ClusterServiceStub(channel)
        self.workflows = workflows_pb2_grpc.WorkflowServiceStub(channel)

    def run(self, pod: str, argv: Sequence[str], *, namespace: str = "", container: str = "",
            stdin: bytes = b"", timeout: Optional[float] = None) -> ExecResult:
        """Runs a command to its end: (exit_code, stdout, stderr). Raises grpc.RpcError on failure to run."""
        request = exec_pb2.ExecRequest(namespace=namespace, pod=pod, container=container, command=list(argv),
                                       stdin=stdin)
        if timeout is not None:
            request.timeout.FromMilliseconds(int(timeout * 1000))
        answer = self.execs.Exec(request)
        return ExecResult(answer.exit_code, answer.stdout, answer.stderr)

    def session(self, pod: str, argv: Sequence[str] = (), *, namespace: str = "", container: str = "",
                tty: bool = False, stdin: bool = True, timeout: Optional[float] = None) -> Session:
        """Starts an interactive command (an empty argv is a shell)."""
        start = exec_pb2.ExecStart(namespace=namespace, pod=pod, container=container, command=list(argv),
                                   tty=tty, stdin=stdin)
        return Session(self.execs, start, timeout)

    def wait_running(self, pod: str, *, namespace: str = "", timeout: float = 60) -> pods_pb2.Pod:
        """Watches until the pod runs; raises TimeoutError, or RuntimeError when it ends first."""
        watch = self.pods.WatchPods(pods_pb2.WatchPodsRequest(namespace=namespace, send_initial_pods=True),
                                    timeout=timeout)
        try:
            for event in watch:
                if event.pod.name != pod:
                    continue
                if event.pod.phase == pods_pb2.POD_PHASE_RUNNING:
                    return event.pod
                if event.pod.phase in (pods_pb2.POD_PHASE_SUCCEEDED, pods_pb2.POD_PHASE_FAILED):
                    raise RuntimeError(f"pod {pod} ended before it ran")
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                raise TimeoutError(f"pod {pod} did not run within {timeout} s") from error
            raise
        finally:
            watch.cancel()
        raise TimeoutError(f"the watch ended before pod {pod} ran")

    def follow_logs(self, pod: str, *, namespace: str = "", container: str = "") -> Iterator[bytes]:
        """Yields log bytes (whole lines) until the container ends."""
        request = pods_pb2.FollowPodLogsRequest(namespace=namespace, name=pod,
                                                options=pods_pb2.LogOptions(container=container))
        for message in self.pods.FollowPodLogs(request):
            if message.WhichOneof("event") == "data":
                yield message.data

    def close(self) -> None:
        self.channel.close()
