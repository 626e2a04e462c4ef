package dev.kubegate.client;

import dev.kubegate.v1.ClusterServiceGrpc;
import dev.kubegate.v1.ExecEvent;
import dev.kubegate.v1.ExecInput;
import dev.kubegate.v1.ExecRequest;
import dev.kubegate.v1.ExecResponse;
import dev.kubegate.v1.ExecServiceGrpc;
import dev.kubegate.v1.ExecStart;
import dev.kubegate.v1.ExecStreamRequest;
import dev.kubegate.v1.ExecStreamResponse;
import dev.kubegate.v1.NetworkServiceGrpc;
import dev.kubegate.v1.PodPhase;
import dev.kubegate.v1.PodServiceGrpc;
import dev.kubegate.v1.WatchPodsRequest;
import dev.kubegate.v1.WatchPodsResponse;
import dev.kubegate.v1.WorkflowServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * kubegate's Java client: blocking and async stubs of every service over one channel, plus {@link #run}
 * (exit code, stdout, stderr) and {@link #session} for the bidirectional exec stream. Every call carries
 * the API token passed in code, else the one in the environment variable {@value #TOKEN_VARIABLE}. Errors
 * are {@link io.grpc.StatusRuntimeException}; {@code e.getStatus().getCode()} says which.
 */
public final class Kubegate implements AutoCloseable {
  /** The environment variable the API token is taken from when none is passed in code. */
  public static final String TOKEN_VARIABLE = "KUBEGATE_API_TOKEN";

  /** The channel every stub uses. */
  public final ManagedChannel channel;
  /** Pods, logs, watch, cleanup. */
  public final PodServiceGrpc.PodServiceBlockingStub pods;
  /** One-shot exec and sessions (blocking calls). */
  public final ExecServiceGrpc.ExecServiceBlockingStub exec;
  /** The exec stream (asynchronous stub, for {@link #session}). */
  public final ExecServiceGrpc.ExecServiceStub execAsync;
  /** Kubernetes Services and Ingresses. */
  public final NetworkServiceGrpc.NetworkServiceBlockingStub network;
  /** Settings and the connection test. */
  public final ClusterServiceGrpc.ClusterServiceBlockingStub cluster;
  /** Test runs, previews, image matching. */
  public final WorkflowServiceGrpc.WorkflowServiceBlockingStub workflows;

  /** Connects in plain text to host:port, sending the API token in {@value #TOKEN_VARIABLE}, if set. */
  public Kubegate(String target) {
    this(target, null);
  }

  /**
   * Connects in plain text to host:port, sending {@code token} with every call; when it is null or empty,
   * the one in the environment variable {@value #TOKEN_VARIABLE}, if set.
   */
  public Kubegate(String target, String token) {
    this.channel = ManagedChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(64 << 20).build();
    if (token == null || token.isBlank()) {
      token = System.getenv(TOKEN_VARIABLE);
    }
    Metadata headers = new Metadata();
    if (token != null && !token.isBlank()) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token.strip());
    }
    var auth = MetadataUtils.newAttachHeadersInterceptor(headers);
    this.pods = PodServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
    this.exec = ExecServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
    this.execAsync = ExecServiceGrpc.newStub(channel).withInterceptors(auth);
    this.network = NetworkServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
    this.cluster = ClusterServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
    this.workflows = WorkflowServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
  }

  /** The outcome of a one-shot command. */
  public record Result(int exitCode, byte[] stdout, byte[] stderr) {}

  /** Runs a command in a pod to its end. */
  public Result run(String pod, String... argv) {
    ExecResponse r = exec.exec(ExecRequest.newBuilder().setPod(pod).addAllCommand(List.of(argv)).build());
    return new Result(r.getExitCode(), r.getStdout().toByteArray(), r.getStderr().toByteArray());
  }

  /** Watches until the pod runs, or throws when it ends first. */
  public void waitRunning(String pod, long timeoutSeconds) {
    Iterator<WatchPodsResponse> events = pods.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
        .watchPods(WatchPodsRequest.newBuilder().setSendInitialPods(true).build());
    while (events.hasNext()) {
      var p = events.next().getPod();
      if (!p.getName().equals(pod)) continue;
      if (p.getPhase() == PodPhase.POD_PHASE_RUNNING) return;
      if (p.getPhase() == PodPhase.POD_PHASE_SUCCEEDED || p.getPhase() == PodPhase.POD_PHASE_FAILED) {
        throw new IllegalStateException("pod " + pod + " ended before it ran");
      }
    }
    throw new IllegalStateException("the watch ended before pod " + pod + " ran");
  }

  /** An interactive command: send input, then {@link #await} its output and exit code. */
  public static final class Session {
    private final StreamObserver<ExecStreamRequest> requests;
    private final BlockingQueue<Object> events = new ArrayBlockingQueue<>(1024);
    private String sessionId = "";

    private Session(ExecServiceGrpc.ExecServiceStub stub, ExecStart start) {
      this.requests = stub.execStream(new StreamObserver<ExecStreamResponse>() {
        @Override public void onNext(ExecStreamResponse value) { put(value.getEvent()); }
        @Override public void onError(Throwable t) { put(t); }
        @Override public void onCompleted() { put(Boolean.TRUE); }
      });
      requests.onNext(ExecStreamRequest.newBuilder().setStart(start).build());
    }

    private void put(Object o) {
      try {
        events.put(o);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void input(ExecInput in) {
      requests.onNext(ExecStreamRequest.newBuilder().setInput(in).build());
    }

    /** Writes bytes to the command's stdin. */
    public void send(byte[] data) {
      input(ExecInput.newBuilder().setStdin(com.google.protobuf.ByteString.copyFrom(data)).build());
    }

    /** Ends the command's stdin. */
    public void closeStdin() {
      input(ExecInput.newBuilder().setCloseStdin(true).build());
    }

    /** The session id, known once the session started. */
    public String sessionId() {
      return sessionId;
    }

    /** Collects stdout into {@code out} until the command exits; returns its exit code. */
    public int await(ByteArrayOutputStream out, long timeoutSeconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      while (true) {
        Object o = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (o == null) throw new IllegalStateException("no exit within " + timeoutSeconds + " s");
        if (o instanceof RuntimeException e) throw e;
        if (o instanceof Throwable t) throw new IllegalStateException(t);
        if (o instanceof Boolean) throw new IllegalStateException("the stream ended without an exit");
        ExecEvent e = (ExecEvent) o;
        switch (e.getKindCase()) {
          case STARTED -> sessionId = e.getStarted().getSessionId();
          case STDOUT -> out.writeBytes(e.getStdout().getData().toByteArray());
          case EXIT -> {
            requests.onCompleted();
            return e.getExit().getExitCode();
          }
          default -> { }
        }
      }
    }
  }

  /** Starts an interactive command; an empty argv is a shell. */
  public Session session(String pod, boolean stdin, String... argv) {
    return new Session(execAsync,
        ExecStart.newBuilder().setPod(pod).setStdin(stdin).addAllCommand(List.of(argv)).build());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
  }
}
