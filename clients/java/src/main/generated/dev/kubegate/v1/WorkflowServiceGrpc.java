package dev.kubegate.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * WorkflowService turns the multi-step workflows users run by hand into one call each: a test run at a
 * commit, a preview environment (pod + Service + Ingress), and picking an image from a project's
 * version files.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class WorkflowServiceGrpc {

  private WorkflowServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "kubegate.v1.WorkflowService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.RunTestsRequest,
      dev.kubegate.v1.RunTestsResponse> getRunTestsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RunTests",
      requestType = dev.kubegate.v1.RunTestsRequest.class,
      responseType = dev.kubegate.v1.RunTestsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.RunTestsRequest,
      dev.kubegate.v1.RunTestsResponse> getRunTestsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.RunTestsRequest, dev.kubegate.v1.RunTestsResponse> getRunTestsMethod;
    if ((getRunTestsMethod = WorkflowServiceGrpc.getRunTestsMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getRunTestsMethod = WorkflowServiceGrpc.getRunTestsMethod) == null) {
          WorkflowServiceGrpc.getRunTestsMethod = getRunTestsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.RunTestsRequest, dev.kubegate.v1.RunTestsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RunTests"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.RunTestsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.RunTestsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("RunTests"))
              .build();
        }
      }
    }
    return getRunTestsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.StreamTestRunRequest,
      dev.kubegate.v1.StreamTestRunResponse> getStreamTestRunMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "StreamTestRun",
      requestType = dev.kubegate.v1.StreamTestRunRequest.class,
      responseType = dev.kubegate.v1.StreamTestRunResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.StreamTestRunRequest,
      dev.kubegate.v1.StreamTestRunResponse> getStreamTestRunMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.StreamTestRunRequest, dev.kubegate.v1.StreamTestRunResponse> getStreamTestRunMethod;
    if ((getStreamTestRunMethod = WorkflowServiceGrpc.getStreamTestRunMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getStreamTestRunMethod = WorkflowServiceGrpc.getStreamTestRunMethod) == null) {
          WorkflowServiceGrpc.getStreamTestRunMethod = getStreamTestRunMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.StreamTestRunRequest, dev.kubegate.v1.StreamTestRunResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "StreamTestRun"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.StreamTestRunRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.StreamTestRunResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("StreamTestRun"))
              .build();
        }
      }
    }
    return getStreamTestRunMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.CreatePreviewRequest,
      dev.kubegate.v1.CreatePreviewResponse> getCreatePreviewMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreatePreview",
      requestType = dev.kubegate.v1.CreatePreviewRequest.class,
      responseType = dev.kubegate.v1.CreatePreviewResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.CreatePreviewRequest,
      dev.kubegate.v1.CreatePreviewResponse> getCreatePreviewMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.CreatePreviewRequest, dev.kubegate.v1.CreatePreviewResponse> getCreatePreviewMethod;
    if ((getCreatePreviewMethod = WorkflowServiceGrpc.getCreatePreviewMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getCreatePreviewMethod = WorkflowServiceGrpc.getCreatePreviewMethod) == null) {
          WorkflowServiceGrpc.getCreatePreviewMethod = getCreatePreviewMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.CreatePreviewRequest, dev.kubegate.v1.CreatePreviewResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreatePreview"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CreatePreviewRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CreatePreviewResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("CreatePreview"))
              .build();
        }
      }
    }
    return getCreatePreviewMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.GetPreviewRequest,
      dev.kubegate.v1.GetPreviewResponse> getGetPreviewMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetPreview",
      requestType = dev.kubegate.v1.GetPreviewRequest.class,
      responseType = dev.kubegate.v1.GetPreviewResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.GetPreviewRequest,
      dev.kubegate.v1.GetPreviewResponse> getGetPreviewMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.GetPreviewRequest, dev.kubegate.v1.GetPreviewResponse> getGetPreviewMethod;
    if ((getGetPreviewMethod = WorkflowServiceGrpc.getGetPreviewMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getGetPreviewMethod = WorkflowServiceGrpc.getGetPreviewMethod) == null) {
          WorkflowServiceGrpc.getGetPreviewMethod = getGetPreviewMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.GetPreviewRequest, dev.kubegate.v1.GetPreviewResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetPreview"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetPreviewRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetPreviewResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("GetPreview"))
              .build();
        }
      }
    }
    return getGetPreviewMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.ListPreviewsRequest,
      dev.kubegate.v1.ListPreviewsResponse> getListPreviewsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListPreviews",
      requestType = dev.kubegate.v1.ListPreviewsRequest.class,
      responseType = dev.kubegate.v1.ListPreviewsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.ListPreviewsRequest,
      dev.kubegate.v1.ListPreviewsResponse> getListPreviewsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.ListPreviewsRequest, dev.kubegate.v1.ListPreviewsResponse> getListPreviewsMethod;
    if ((getListPreviewsMethod = WorkflowServiceGrpc.getListPreviewsMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getListPreviewsMethod = WorkflowServiceGrpc.getListPreviewsMethod) == null) {
          WorkflowServiceGrpc.getListPreviewsMethod = getListPreviewsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.ListPreviewsRequest, dev.kubegate.v1.ListPreviewsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListPreviews"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListPreviewsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListPreviewsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("ListPreviews"))
              .build();
        }
      }
    }
    return getListPreviewsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.DeletePreviewRequest,
      dev.kubegate.v1.DeletePreviewResponse> getDeletePreviewMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeletePreview",
      requestType = dev.kubegate.v1.DeletePreviewRequest.class,
      responseType = dev.kubegate.v1.DeletePreviewResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.DeletePreviewRequest,
      dev.kubegate.v1.DeletePreviewResponse> getDeletePreviewMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.DeletePreviewRequest, dev.kubegate.v1.DeletePreviewResponse> getDeletePreviewMethod;
    if ((getDeletePreviewMethod = WorkflowServiceGrpc.getDeletePreviewMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getDeletePreviewMethod = WorkflowServiceGrpc.getDeletePreviewMethod) == null) {
          WorkflowServiceGrpc.getDeletePreviewMethod = getDeletePreviewMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.DeletePreviewRequest, dev.kubegate.v1.DeletePreviewResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeletePreview"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.DeletePreviewRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.DeletePreviewResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("DeletePreview"))
              .build();
        }
      }
    }
    return getDeletePreviewMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.MatchImageRequest,
      dev.kubegate.v1.MatchImageResponse> getMatchImageMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "MatchImage",
      requestType = dev.kubegate.v1.MatchImageRequest.class,
      responseType = dev.kubegate.v1.MatchImageResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.MatchImageRequest,
      dev.kubegate.v1.MatchImageResponse> getMatchImageMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.MatchImageRequest, dev.kubegate.v1.MatchImageResponse> getMatchImageMethod;
    if ((getMatchImageMethod = WorkflowServiceGrpc.getMatchImageMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getMatchImageMethod = WorkflowServiceGrpc.getMatchImageMethod) == null) {
          WorkflowServiceGrpc.getMatchImageMethod = getMatchImageMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.MatchImageRequest, dev.kubegate.v1.MatchImageResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "MatchImage"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.MatchImageRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.MatchImageResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("MatchImage"))
              .build();
        }
      }
    }
    return getMatchImageMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static WorkflowServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceStub>() {
        @java.lang.Override
        public WorkflowServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkflowServiceStub(channel, callOptions);
        }
      };
    return WorkflowServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static WorkflowServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceBlockingV2Stub>() {
        @java.lang.Override
        public WorkflowServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkflowServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return WorkflowServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static WorkflowServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceBlockingStub>() {
        @java.lang.Override
        public WorkflowServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkflowServiceBlockingStub(channel, callOptions);
        }
      };
    return WorkflowServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static WorkflowServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceFutureStub>() {
        @java.lang.Override
        public WorkflowServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkflowServiceFutureStub(channel, callOptions);
        }
      };
    return WorkflowServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * WorkflowService turns the multi-step workflows users run by hand into one call each: a test run at a
   * commit, a preview environment (pod + Service + Ingress), and picking an image from a project's
   * version files.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Runs a command at a commit of a repository on a shared volume in a fresh pod, waits for it to end and
     * returns the outcome, exit code, duration and the tail of the log. The pod is kept for inspection until
     * cleanup or its time-to-live.
     * </pre>
     */
    default void runTests(dev.kubegate.v1.RunTestsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.RunTestsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRunTestsMethod(), responseObserver);
    }

    /**
     * <pre>
     * The same run, streaming its progress: scheduled, running, output, finished (always the last event).
     * </pre>
     */
    default void streamTestRun(dev.kubegate.v1.StreamTestRunRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.StreamTestRunResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getStreamTestRunMethod(), responseObserver);
    }

    /**
     * <pre>
     * Creates a pod, a Service and an Ingress for it, all or nothing, and returns the preview's URL.
     * </pre>
     */
    default void createPreview(dev.kubegate.v1.CreatePreviewRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CreatePreviewResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreatePreviewMethod(), responseObserver);
    }

    /**
     * <pre>
     * Reads a preview.
     * </pre>
     */
    default void getPreview(dev.kubegate.v1.GetPreviewRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPreviewResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetPreviewMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the previews of a namespace.
     * </pre>
     */
    default void listPreviews(dev.kubegate.v1.ListPreviewsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListPreviewsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListPreviewsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes a preview: its Ingress, Service and pod.
     * </pre>
     */
    default void deletePreview(dev.kubegate.v1.DeletePreviewRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.DeletePreviewResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeletePreviewMethod(), responseObserver);
    }

    /**
     * <pre>
     * Reads a project's version files and proposes an exact image for its runtime.
     * </pre>
     */
    default void matchImage(dev.kubegate.v1.MatchImageRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.MatchImageResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getMatchImageMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service WorkflowService.
   * <pre>
   * WorkflowService turns the multi-step workflows users run by hand into one call each: a test run at a
   * commit, a preview environment (pod + Service + Ingress), and picking an image from a project's
   * version files.
   * </pre>
   */
  public static abstract class WorkflowServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return WorkflowServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service WorkflowService.
   * <pre>
   * WorkflowService turns the multi-step workflows users run by hand into one call each: a test run at a
   * commit, a preview environment (pod + Service + Ingress), and picking an image from a project's
   * version files.
   * </pre>
   */
  public static final class WorkflowServiceStub
      extends io.grpc.stub.AbstractAsyncStub<WorkflowServiceStub> {
    private WorkflowServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkflowServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkflowServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs a command at a commit of a repository on a shared volume in a fresh pod, waits for it to end and
     * returns the outcome, exit code, duration and the tail of the log. The pod is kept for inspection until
     * cleanup or its time-to-live.
     * </pre>
     */
    public void runTests(dev.kubegate.v1.RunTestsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.RunTestsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRunTestsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The same run, streaming its progress: scheduled, running, output, finished (always the last event).
     * </pre>
     */
    public void streamTestRun(dev.kubegate.v1.StreamTestRunRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.StreamTestRunResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getStreamTestRunMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Creates a pod, a Service and an Ingress for it, all or nothing, and returns the preview's URL.
     * </pre>
     */
    public void createPreview(dev.kubegate.v1.CreatePreviewRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CreatePreviewResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreatePreviewMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Reads a preview.
     * </pre>
     */
    public void getPreview(dev.kubegate.v1.GetPreviewRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPreviewResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetPreviewMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists the previews of a namespace.
     * </pre>
     */
    public void listPreviews(dev.kubegate.v1.ListPreviewsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListPreviewsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListPreviewsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes a preview: its Ingress, Service and pod.
     * </pre>
     */
    public void deletePreview(dev.kubegate.v1.DeletePreviewRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.DeletePreviewResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeletePreviewMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Reads a project's version files and proposes an exact image for its runtime.
     * </pre>
     */
    public void matchImage(dev.kubegate.v1.MatchImageRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.MatchImageResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getMatchImageMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service WorkflowService.
   * <pre>
   * WorkflowService turns the multi-step workflows users run by hand into one call each: a test run at a
   * commit, a preview environment (pod + Service + Ingress), and picking an image from a project's
   * version files.
   * </pre>
   */
  public static final class WorkflowServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<WorkflowServiceBlockingV2Stub> {
    private WorkflowServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkflowServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkflowServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs a command at a commit of a repository on a shared volume in a fresh pod, waits for it to end and
     * returns the outcome, exit code, duration and the tail of the log. The pod is kept for inspection until
     * cleanup or its time-to-live.
     * </pre>
     */
    public dev.kubegate.v1.RunTestsResponse runTests(dev.kubegate.v1.RunTestsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRunTestsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The same run, streaming its progress: scheduled, running, output, finished (always the last event).
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.kubegate.v1.StreamTestRunResponse>
        streamTestRun(dev.kubegate.v1.StreamTestRunRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getStreamTestRunMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates a pod, a Service and an Ingress for it, all or nothing, and returns the preview's URL.
     * </pre>
     */
    public dev.kubegate.v1.CreatePreviewResponse createPreview(dev.kubegate.v1.CreatePreviewRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreatePreviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reads a preview.
     * </pre>
     */
    public dev.kubegate.v1.GetPreviewResponse getPreview(dev.kubegate.v1.GetPreviewRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetPreviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the previews of a namespace.
     * </pre>
     */
    public dev.kubegate.v1.ListPreviewsResponse listPreviews(dev.kubegate.v1.ListPreviewsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListPreviewsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a preview: its Ingress, Service and pod.
     * </pre>
     */
    public dev.kubegate.v1.DeletePreviewResponse deletePreview(dev.kubegate.v1.DeletePreviewRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeletePreviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reads a project's version files and proposes an exact image for its runtime.
     * </pre>
     */
    public dev.kubegate.v1.MatchImageResponse matchImage(dev.kubegate.v1.MatchImageRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getMatchImageMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service WorkflowService.
   * <pre>
   * WorkflowService turns the multi-step workflows users run by hand into one call each: a test run at a
   * commit, a preview environment (pod + Service + Ingress), and picking an image from a project's
   * version files.
   * </pre>
   */
  public static final class WorkflowServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<WorkflowServiceBlockingStub> {
    private WorkflowServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkflowServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkflowServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs a command at a commit of a repository on a shared volume in a fresh pod, waits for it to end and
     * returns the outcome, exit code, duration and the tail of the log. The pod is kept for inspection until
     * cleanup or its time-to-live.
     * </pre>
     */
    public dev.kubegate.v1.RunTestsResponse runTests(dev.kubegate.v1.RunTestsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRunTestsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The same run, streaming its progress: scheduled, running, output, finished (always the last event).
     * </pre>
     */
    public java.util.Iterator<dev.kubegate.v1.StreamTestRunResponse> streamTestRun(
        dev.kubegate.v1.StreamTestRunRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getStreamTestRunMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates a pod, a Service and an Ingress for it, all or nothing, and returns the preview's URL.
     * </pre>
     */
    public dev.kubegate.v1.CreatePreviewResponse createPreview(dev.kubegate.v1.CreatePreviewRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreatePreviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reads a preview.
     * </pre>
     */
    public dev.kubegate.v1.GetPreviewResponse getPreview(dev.kubegate.v1.GetPreviewRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetPreviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the previews of a namespace.
     * </pre>
     */
    public dev.kubegate.v1.ListPreviewsResponse listPreviews(dev.kubegate.v1.ListPreviewsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListPreviewsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a preview: its Ingress, Service and pod.
     * </pre>
     */
    public dev.kubegate.v1.DeletePreviewResponse deletePreview(dev.kubegate.v1.DeletePreviewRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeletePreviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reads a project's version files and proposes an exact image for its runtime.
     * </pre>
     */
    public dev.kubegate.v1.MatchImageResponse matchImage(dev.kubegate.v1.MatchImageRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getMatchImageMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service WorkflowService.
   * <pre>
   * WorkflowService turns the multi-step workflows users run by hand into one call each: a test run at a
   * commit, a preview environment (pod + Service + Ingress), and picking an image from a project's
   * version files.
   * </pre>
   */
  public static final class WorkflowServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<WorkflowServiceFutureStub> {
    private WorkflowServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkflowServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkflowServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs a command at a commit of a repository on a shared volume in a fresh pod, waits for it to end and
     * returns the outcome, exit code, duration and the tail of the log. The pod is kept for inspection until
     * cleanup or its time-to-live.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.RunTestsResponse> runTests(
        dev.kubegate.v1.RunTestsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRunTestsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Creates a pod, a Service and an Ingress for it, all or nothing, and returns the preview's URL.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.CreatePreviewResponse> createPreview(
        dev.kubegate.v1.CreatePreviewRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreatePreviewMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Reads a preview.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.GetPreviewResponse> getPreview(
        dev.kubegate.v1.GetPreviewRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetPreviewMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the previews of a namespace.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.ListPreviewsResponse> listPreviews(
        dev.kubegate.v1.ListPreviewsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListPreviewsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes a preview: its Ingress, Service and pod.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.DeletePreviewResponse> deletePreview(
        dev.kubegate.v1.DeletePreviewRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeletePreviewMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Reads a project's version files and proposes an exact image for its runtime.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.MatchImageResponse> matchImage(
        dev.kubegate.v1.MatchImageRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getMatchImageMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_RUN_TESTS = 0;
  private static final int METHODID_STREAM_TEST_RUN = 1;
  private static final int METHODID_CREATE_PREVIEW = 2;
  private static final int METHODID_GET_PREVIEW = 3;
  private static final int METHODID_LIST_PREVIEWS = 4;
  private static final int METHODID_DELETE_PREVIEW = 5;
  private static final int METHODID_MATCH_IMAGE = 6;

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
        case METHODID_RUN_TESTS:
          serviceImpl.runTests((dev.kubegate.v1.RunTestsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.RunTestsResponse>) responseObserver);
          break;
        case METHODID_STREAM_TEST_RUN:
          serviceImpl.streamTestRun((dev.kubegate.v1.StreamTestRunRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.StreamTestRunResponse>) responseObserver);
          break;
        case METHODID_CREATE_PREVIEW:
          serviceImpl.createPreview((dev.kubegate.v1.CreatePreviewRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.CreatePreviewResponse>) responseObserver);
          break;
        case METHODID_GET_PREVIEW:
          serviceImpl.getPreview((dev.kubegate.v1.GetPreviewRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPreviewResponse>) responseObserver);
          break;
        case METHODID_LIST_PREVIEWS:
          serviceImpl.listPreviews((dev.kubegate.v1.ListPreviewsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.ListPreviewsResponse>) responseObserver);
          break;
        case METHODID_DELETE_PREVIEW:
          serviceImpl.deletePreview((dev.kubegate.v1.DeletePreviewRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.DeletePreviewResponse>) responseObserver);
          break;
        case METHODID_MATCH_IMAGE:
          serviceImpl.matchImage((dev.kubegate.v1.MatchImageRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.MatchImageResponse>) responseObserver);
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
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getRunTestsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.RunTestsRequest,
              dev.kubegate.v1.RunTestsResponse>(
                service, METHODID_RUN_TESTS)))
        .addMethod(
          getStreamTestRunMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.kubegate.v1.StreamTestRunRequest,
              dev.kubegate.v1.StreamTestRunResponse>(
                service, METHODID_STREAM_TEST_RUN)))
        .addMethod(
          getCreatePreviewMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.CreatePreviewRequest,
              dev.kubegate.v1.CreatePreviewResponse>(
                service, METHODID_CREATE_PREVIEW)))
        .addMethod(
          getGetPreviewMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.GetPreviewRequest,
              dev.kubegate.v1.GetPreviewResponse>(
                service, METHODID_GET_PREVIEW)))
        .addMethod(
          getListPreviewsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.ListPreviewsRequest,
              dev.kubegate.v1.ListPreviewsResponse>(
                service, METHODID_LIST_PREVIEWS)))
        .addMethod(
          getDeletePreviewMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.DeletePreviewRequest,
              dev.kubegate.v1.DeletePreviewResponse>(
                service, METHODID_DELETE_PREVIEW)))
        .addMethod(
          getMatchImageMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.MatchImageRequest,
              dev.kubegate.v1.MatchImageResponse>(
                service, METHODID_MATCH_IMAGE)))
        .build();
  }

  private static abstract class WorkflowServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    WorkflowServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.kubegate.v1.WorkflowsProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("WorkflowService");
    }
  }

  private static final class WorkflowServiceFileDescriptorSupplier
      extends WorkflowServiceBaseDescriptorSupplier {
    WorkflowServiceFileDescriptorSupplier() {}
  }

  private static final class WorkflowServiceMethodDescriptorSupplier
      extends WorkflowServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    WorkflowServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (WorkflowServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new WorkflowServiceFileDescriptorSupplier())
              .addMethod(getRunTestsMethod())
              .addMethod(getStreamTestRunMethod())
              .addMethod(getCreatePreviewMethod())
              .addMethod(getGetPreviewMethod())
              .addMethod(getListPreviewsMethod())
              .addMethod(getDeletePreviewMethod())
              .addMethod(getMatchImageMethod())
              .build();
        }
      }
    }
    return result;
  }
}
