package dev.kubegate.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * ExecService runs commands in pods: one-shot with the real exit code, or as an interactive stream whose
 * session survives a client disconnect for a grace period and can be reattached from an output offset.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class ExecServiceGrpc {

  private ExecServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "kubegate.v1.ExecService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.ExecRequest,
      dev.kubegate.v1.ExecResponse> getExecMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Exec",
      requestType = dev.kubegate.v1.ExecRequest.class,
      responseType = dev.kubegate.v1.ExecResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.ExecRequest,
      dev.kubegate.v1.ExecResponse> getExecMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.ExecRequest, dev.kubegate.v1.ExecResponse> getExecMethod;
    if ((getExecMethod = ExecServiceGrpc.getExecMethod) == null) {
      synchronized (ExecServiceGrpc.class) {
        if ((getExecMethod = ExecServiceGrpc.getExecMethod) == null) {
          ExecServiceGrpc.getExecMethod = getExecMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.ExecRequest, dev.kubegate.v1.ExecResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Exec"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ExecRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ExecResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecServiceMethodDescriptorSupplier("Exec"))
              .build();
        }
      }
    }
    return getExecMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.ExecStreamRequest,
      dev.kubegate.v1.ExecStreamResponse> getExecStreamMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ExecStream",
      requestType = dev.kubegate.v1.ExecStreamRequest.class,
      responseType = dev.kubegate.v1.ExecStreamResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.ExecStreamRequest,
      dev.kubegate.v1.ExecStreamResponse> getExecStreamMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.ExecStreamRequest, dev.kubegate.v1.ExecStreamResponse> getExecStreamMethod;
    if ((getExecStreamMethod = ExecServiceGrpc.getExecStreamMethod) == null) {
      synchronized (ExecServiceGrpc.class) {
        if ((getExecStreamMethod = ExecServiceGrpc.getExecStreamMethod) == null) {
          ExecServiceGrpc.getExecStreamMethod = getExecStreamMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.ExecStreamRequest, dev.kubegate.v1.ExecStreamResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ExecStream"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ExecStreamRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ExecStreamResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecServiceMethodDescriptorSupplier("ExecStream"))
              .build();
        }
      }
    }
    return getExecStreamMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.ListExecSessionsRequest,
      dev.kubegate.v1.ListExecSessionsResponse> getListExecSessionsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListExecSessions",
      requestType = dev.kubegate.v1.ListExecSessionsRequest.class,
      responseType = dev.kubegate.v1.ListExecSessionsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.ListExecSessionsRequest,
      dev.kubegate.v1.ListExecSessionsResponse> getListExecSessionsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.ListExecSessionsRequest, dev.kubegate.v1.ListExecSessionsResponse> getListExecSessionsMethod;
    if ((getListExecSessionsMethod = ExecServiceGrpc.getListExecSessionsMethod) == null) {
      synchronized (ExecServiceGrpc.class) {
        if ((getListExecSessionsMethod = ExecServiceGrpc.getListExecSessionsMethod) == null) {
          ExecServiceGrpc.getListExecSessionsMethod = getListExecSessionsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.ListExecSessionsRequest, dev.kubegate.v1.ListExecSessionsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListExecSessions"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListExecSessionsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListExecSessionsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecServiceMethodDescriptorSupplier("ListExecSessions"))
              .build();
        }
      }
    }
    return getListExecSessionsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.AttachExecSessionRequest,
      dev.kubegate.v1.AttachExecSessionResponse> getAttachExecSessionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "AttachExecSession",
      requestType = dev.kubegate.v1.AttachExecSessionRequest.class,
      responseType = dev.kubegate.v1.AttachExecSessionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.AttachExecSessionRequest,
      dev.kubegate.v1.AttachExecSessionResponse> getAttachExecSessionMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.AttachExecSessionRequest, dev.kubegate.v1.AttachExecSessionResponse> getAttachExecSessionMethod;
    if ((getAttachExecSessionMethod = ExecServiceGrpc.getAttachExecSessionMethod) == null) {
      synchronized (ExecServiceGrpc.class) {
        if ((getAttachExecSessionMethod = ExecServiceGrpc.getAttachExecSessionMethod) == null) {
          ExecServiceGrpc.getAttachExecSessionMethod = getAttachExecSessionMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.AttachExecSessionRequest, dev.kubegate.v1.AttachExecSessionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "AttachExecSession"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.AttachExecSessionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.AttachExecSessionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecServiceMethodDescriptorSupplier("AttachExecSession"))
              .build();
        }
      }
    }
    return getAttachExecSessionMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.TerminateExecSessionRequest,
      dev.kubegate.v1.TerminateExecSessionResponse> getTerminateExecSessionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TerminateExecSession",
      requestType = dev.kubegate.v1.TerminateExecSessionRequest.class,
      responseType = dev.kubegate.v1.TerminateExecSessionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.TerminateExecSessionRequest,
      dev.kubegate.v1.TerminateExecSessionResponse> getTerminateExecSessionMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.TerminateExecSessionRequest, dev.kubegate.v1.TerminateExecSessionResponse> getTerminateExecSessionMethod;
    if ((getTerminateExecSessionMethod = ExecServiceGrpc.getTerminateExecSessionMethod) == null) {
      synchronized (ExecServiceGrpc.class) {
        if ((getTerminateExecSessionMethod = ExecServiceGrpc.getTerminateExecSessionMethod) == null) {
          ExecServiceGrpc.getTerminateExecSessionMethod = getTerminateExecSessionMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.TerminateExecSessionRequest, dev.kubegate.v1.TerminateExecSessionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TerminateExecSession"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.TerminateExecSessionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.TerminateExecSessionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecServiceMethodDescriptorSupplier("TerminateExecSession"))
              .build();
        }
      }
    }
    return getTerminateExecSessionMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static ExecServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExecServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExecServiceStub>() {
        @java.lang.Override
        public ExecServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExecServiceStub(channel, callOptions);
        }
      };
    return ExecServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static ExecServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExecServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExecServiceBlockingV2Stub>() {
        @java.lang.Override
        public ExecServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExecServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return ExecServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static ExecServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExecServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExecServiceBlockingStub>() {
        @java.lang.Override
        public ExecServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExecServiceBlockingStub(channel, callOptions);
        }
      };
    return ExecServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static ExecServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExecServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExecServiceFutureStub>() {
        @java.lang.Override
        public ExecServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExecServiceFutureStub(channel, callOptions);
        }
      };
    return ExecServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * ExecService runs commands in pods: one-shot with the real exit code, or as an interactive stream whose
   * session survives a client disconnect for a grace period and can be reattached from an output offset.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Runs a command to completion and returns its output and real exit code. The pod must be running
     * (FAILED_PRECONDITION with its phase otherwise); a lost connection is UNAVAILABLE.
     * </pre>
     */
    default void exec(dev.kubegate.v1.ExecRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ExecResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getExecMethod(), responseObserver);
    }

    /**
     * <pre>
     * Starts an interactive session. The first request message must be `start`; the first response is
     * `started` with the session id. Output is bytes, never re-encoded. The stream ends after `exit`.
     * </pre>
     */
    default io.grpc.stub.StreamObserver<dev.kubegate.v1.ExecStreamRequest> execStream(
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ExecStreamResponse> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getExecStreamMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the exec sessions the service holds, attached or waiting for a reattach.
     * </pre>
     */
    default void listExecSessions(dev.kubegate.v1.ListExecSessionsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListExecSessionsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListExecSessionsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Reattaches to a session whose client left. The first request message must be `attach`; the client then
     * receives what it missed from the given offset (or a `gap` saying how much was lost), then live output.
     * </pre>
     */
    default io.grpc.stub.StreamObserver<dev.kubegate.v1.AttachExecSessionRequest> attachExecSession(
        io.grpc.stub.StreamObserver<dev.kubegate.v1.AttachExecSessionResponse> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getAttachExecSessionMethod(), responseObserver);
    }

    /**
     * <pre>
     * Ends a session: its remote process is terminated and its resources released. NOT_FOUND if unknown.
     * </pre>
     */
    default void terminateExecSession(dev.kubegate.v1.TerminateExecSessionRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.TerminateExecSessionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTerminateExecSessionMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service ExecService.
   * <pre>
   * ExecService runs commands in pods: one-shot with the real exit code, or as an interactive stream whose
   * session survives a client disconnect for a grace period and can be reattached from an output offset.
   * </pre>
   */
  public static abstract class ExecServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return ExecServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service ExecService.
   * <pre>
   * ExecService runs commands in pods: one-shot with the real exit code, or as an interactive stream whose
   * session survives a client disconnect for a grace period and can be reattached from an output offset.
   * </pre>
   */
  public static final class ExecServiceStub
      extends io.grpc.stub.AbstractAsyncStub<ExecServiceStub> {
    private ExecServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExecServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExecServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs a command to completion and returns its output and real exit code. The pod must be running
     * (FAILED_PRECONDITION with its phase otherwise); a lost connection is UNAVAILABLE.
     * </pre>
     */
    public void exec(dev.kubegate.v1.ExecRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ExecResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getExecMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Starts an interactive session. The first request message must be `start`; the first response is
     * `started` with the session id. Output is bytes, never re-encoded. The stream ends after `exit`.
     * </pre>
     */
    public io.grpc.stub.StreamObserver<dev.kubegate.v1.ExecStreamRequest> execStream(
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ExecStreamResponse> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncBidiStreamingCall(
          getChannel().newCall(getExecStreamMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * Lists the exec sessions the service holds, attached or waiting for a reattach.
     * </pre>
     */
    public void listExecSessions(dev.kubegate.v1.ListExecSessionsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListExecSessionsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListExecSessionsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Reattaches to a session whose client left. The first request message must be `attach`; the client then
     * receives what it missed from the given offset (or a `gap` saying how much was lost), then live output.
     * </pre>
     */
    public io.grpc.stub.StreamObserver<dev.kubegate.v1.AttachExecSessionRequest> attachExecSession(
        io.grpc.stub.StreamObserver<dev.kubegate.v1.AttachExecSessionResponse> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncBidiStreamingCall(
          getChannel().newCall(getAttachExecSessionMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * Ends a session: its remote process is terminated and its resources released. NOT_FOUND if unknown.
     * </pre>
     */
    public void terminateExecSession(dev.kubegate.v1.TerminateExecSessionRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.TerminateExecSessionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTerminateExecSessionMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service ExecService.
   * <pre>
   * ExecService runs commands in pods: one-shot with the real exit code, or as an interactive stream whose
   * session survives a client disconnect for a grace period and can be reattached from an output offset.
   * </pre>
   */
  public static final class ExecServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<ExecServiceBlockingV2Stub> {
    private ExecServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExecServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExecServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs a command to completion and returns its output and real exit code. The pod must be running
     * (FAILED_PRECONDITION with its phase otherwise); a lost connection is UNAVAILABLE.
     * </pre>
     */
    public dev.kubegate.v1.ExecResponse exec(dev.kubegate.v1.ExecRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getExecMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Starts an interactive session. The first request message must be `start`; the first response is
     * `started` with the session id. Output is bytes, never re-encoded. The stream ends after `exit`.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<dev.kubegate.v1.ExecStreamRequest, dev.kubegate.v1.ExecStreamResponse>
        execStream() {
      return io.grpc.stub.ClientCalls.blockingBidiStreamingCall(
          getChannel(), getExecStreamMethod(), getCallOptions());
    }

    /**
     * <pre>
     * Lists the exec sessions the service holds, attached or waiting for a reattach.
     * </pre>
     */
    public dev.kubegate.v1.ListExecSessionsResponse listExecSessions(dev.kubegate.v1.ListExecSessionsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListExecSessionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reattaches to a session whose client left. The first request message must be `attach`; the client then
     * receives what it missed from the given offset (or a `gap` saying how much was lost), then live output.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<dev.kubegate.v1.AttachExecSessionRequest, dev.kubegate.v1.AttachExecSessionResponse>
        attachExecSession() {
      return io.grpc.stub.ClientCalls.blockingBidiStreamingCall(
          getChannel(), getAttachExecSessionMethod(), getCallOptions());
    }

    /**
     * <pre>
     * Ends a session: its remote process is terminated and its resources released. NOT_FOUND if unknown.
     * </pre>
     */
    public dev.kubegate.v1.TerminateExecSessionResponse terminateExecSession(dev.kubegate.v1.TerminateExecSessionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTerminateExecSessionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service ExecService.
   * <pre>
   * ExecService runs commands in pods: one-shot with the real exit code, or as an interactive stream whose
   * session survives a client disconnect for a grace period and can be reattached from an output offset.
   * </pre>
   */
  public static final class ExecServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<ExecServiceBlockingStub> {
    private ExecServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExecServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExecServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs a command to completion and returns its output and real exit code. The pod must be running
     * (FAILED_PRECONDITION with its phase otherwise); a lost connection is UNAVAILABLE.
     * </pre>
     */
    public dev.kubegate.v1.ExecResponse exec(dev.kubegate.v1.ExecRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getExecMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the exec sessions the service holds, attached or waiting for a reattach.
     * </pre>
     */
    public dev.kubegate.v1.ListExecSessionsResponse listExecSessions(dev.kubegate.v1.ListExecSessionsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListExecSessionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Ends a session: its remote process is terminated and its resources released. NOT_FOUND if unknown.
     * </pre>
     */
    public dev.kubegate.v1.TerminateExecSessionResponse terminateExecSession(dev.kubegate.v1.TerminateExecSessionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTerminateExecSessionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service ExecService.
   * <pre>
   * ExecService runs commands in pods: one-shot with the real exit code, or as an interactive stream whose
   * session survives a client disconnect for a grace period and can be reattached from an output offset.
   * </pre>
   */
  public static final class ExecServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<ExecServiceFutureStub> {
    private ExecServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExecServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExecServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs a command to completion and returns its output and real exit code. The pod must be running
     * (FAILED_PRECONDITION with its phase otherwise); a lost connection is UNAVAILABLE.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.ExecResponse> exec(
        dev.kubegate.v1.ExecRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getExecMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the exec sessions the service holds, attached or waiting for a reattach.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.ListExecSessionsResponse> listExecSessions(
        dev.kubegate.v1.ListExecSessionsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListExecSessionsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Ends a session: its remote process is terminated and its resources released. NOT_FOUND if unknown.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.TerminateExecSessionResponse> terminateExecSession(
        dev.kubegate.v1.TerminateExecSessionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTerminateExecSessionMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_EXEC = 0;
  private static final int METHODID_LIST_EXEC_SESSIONS = 1;
  private static final int METHODID_TERMINATE_EXEC_SESSION = 2;
  private static final int METHODID_EXEC_STREAM = 3;
  private static final int METHODID_ATTACH_EXEC_SESSION = 4;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_EXEC:
          serviceImpl.exec((dev.kubegate.v1.ExecRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.ExecResponse>) responseObserver);
          break;
        case METHODID_LIST_EXEC_SESSIONS:
          serviceImpl.listExecSessions((dev.kubegate.v1.ListExecSessionsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.ListExecSessionsResponse>) responseObserver);
          break;
        case METHODID_TERMINATE_EXEC_SESSION:
          serviceImpl.terminateExecSession((dev.kubegate.v1.TerminateExecSessionRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.TerminateExecSessionResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_EXEC_STREAM:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.execStream(
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.ExecStreamResponse>) responseObserver);
        case METHODID_ATTACH_EXEC_SESSION:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.attachExecSession(
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.AttachExecSessionResponse>) responseObserver);
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getExecMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.ExecRequest,
              dev.kubegate.v1.ExecResponse>(
                service, METHODID_EXEC)))
        .addMethod(
          getExecStreamMethod(),
          io.grpc.stub.ServerCalls.asyncBidiStreamingCall(
            new MethodHandlers<
              dev.kubegate.v1.ExecStreamRequest,
              dev.kubegate.v1.ExecStreamResponse>(
                service, METHODID_EXEC_STREAM)))
        .addMethod(
          getListExecSessionsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.ListExecSessionsRequest,
              dev.kubegate.v1.ListExecSessionsResponse>(
                service, METHODID_LIST_EXEC_SESSIONS)))
        .addMethod(
          getAttachExecSessionMethod(),
          io.grpc.stub.ServerCalls.asyncBidiStreamingCall(
            new MethodHandlers<
              dev.kubegate.v1.AttachExecSessionRequest,
              dev.kubegate.v1.AttachExecSessionResponse>(
                service, METHODID_ATTACH_EXEC_SESSION)))
        .addMethod(
          getTerminateExecSessionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.TerminateExecSessionRequest,
              dev.kubegate.v1.TerminateExecSessionResponse>(
                service, METHODID_TERMINATE_EXEC_SESSION)))
        .build();
  }

  private static abstract class ExecServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    ExecServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.kubegate.v1.ExecProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("ExecService");
    }
  }

  private static final class ExecServiceFileDescriptorSupplier
      extends ExecServiceBaseDescriptorSupplier {
    ExecServiceFileDescriptorSupplier() {}
  }

  private static final class ExecServiceMethodDescriptorSupplier
      extends ExecServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    ExecServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (ExecServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new ExecServiceFileDescriptorSupplier())
              .addMethod(getExecMethod())
              .addMethod(getExecStreamMethod())
              .addMethod(getListExecSessionsMethod())
              .addMethod(getAttachExecSessionMethod())
              .addMethod(getTerminateExecSessionMethod())
              .build();
        }
      }
    }
    return result;
  }
}
