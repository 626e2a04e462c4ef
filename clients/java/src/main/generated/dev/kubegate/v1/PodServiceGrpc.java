package dev.kubegate.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * PodService creates, inspects, watches, cleans up and reads the logs of throw-away pods.
 * Every request takes an optional namespace; empty means the service's configured namespace, and a
 * namespace outside the configured allow-list is refused with PERMISSION_DENIED.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class PodServiceGrpc {

  private PodServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "kubegate.v1.PodService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.CreatePodRequest,
      dev.kubegate.v1.CreatePodResponse> getCreatePodMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreatePod",
      requestType = dev.kubegate.v1.CreatePodRequest.class,
      responseType = dev.kubegate.v1.CreatePodResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.CreatePodRequest,
      dev.kubegate.v1.CreatePodResponse> getCreatePodMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.CreatePodRequest, dev.kubegate.v1.CreatePodResponse> getCreatePodMethod;
    if ((getCreatePodMethod = PodServiceGrpc.getCreatePodMethod) == null) {
      synchronized (PodServiceGrpc.class) {
        if ((getCreatePodMethod = PodServiceGrpc.getCreatePodMethod) == null) {
          PodServiceGrpc.getCreatePodMethod = getCreatePodMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.CreatePodRequest, dev.kubegate.v1.CreatePodResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreatePod"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CreatePodRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CreatePodResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PodServiceMethodDescriptorSupplier("CreatePod"))
              .build();
        }
      }
    }
    return getCreatePodMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.GetPodRequest,
      dev.kubegate.v1.GetPodResponse> getGetPodMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetPod",
      requestType = dev.kubegate.v1.GetPodRequest.class,
      responseType = dev.kubegate.v1.GetPodResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.GetPodRequest,
      dev.kubegate.v1.GetPodResponse> getGetPodMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.GetPodRequest, dev.kubegate.v1.GetPodResponse> getGetPodMethod;
    if ((getGetPodMethod = PodServiceGrpc.getGetPodMethod) == null) {
      synchronized (PodServiceGrpc.class) {
        if ((getGetPodMethod = PodServiceGrpc.getGetPodMethod) == null) {
          PodServiceGrpc.getGetPodMethod = getGetPodMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.GetPodRequest, dev.kubegate.v1.GetPodResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetPod"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetPodRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetPodResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PodServiceMethodDescriptorSupplier("GetPod"))
              .build();
        }
      }
    }
    return getGetPodMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.ListPodsRequest,
      dev.kubegate.v1.ListPodsResponse> getListPodsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListPods",
      requestType = dev.kubegate.v1.ListPodsRequest.class,
      responseType = dev.kubegate.v1.ListPodsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.ListPodsRequest,
      dev.kubegate.v1.ListPodsResponse> getListPodsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.ListPodsRequest, dev.kubegate.v1.ListPodsResponse> getListPodsMethod;
    if ((getListPodsMethod = PodServiceGrpc.getListPodsMethod) == null) {
      synchronized (PodServiceGrpc.class) {
        if ((getListPodsMethod = PodServiceGrpc.getListPodsMethod) == null) {
          PodServiceGrpc.getListPodsMethod = getListPodsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.ListPodsRequest, dev.kubegate.v1.ListPodsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListPods"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListPodsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListPodsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PodServiceMethodDescriptorSupplier("ListPods"))
              .build();
        }
      }
    }
    return getListPodsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.DeletePodRequest,
      dev.kubegate.v1.DeletePodResponse> getDeletePodMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeletePod",
      requestType = dev.kubegate.v1.DeletePodRequest.class,
      responseType = dev.kubegate.v1.DeletePodResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.DeletePodRequest,
      dev.kubegate.v1.DeletePodResponse> getDeletePodMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.DeletePodRequest, dev.kubegate.v1.DeletePodResponse> getDeletePodMethod;
    if ((getDeletePodMethod = PodServiceGrpc.getDeletePodMethod) == null) {
      synchronized (PodServiceGrpc.class) {
        if ((getDeletePodMethod = PodServiceGrpc.getDeletePodMethod) == null) {
          PodServiceGrpc.getDeletePodMethod = getDeletePodMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.DeletePodRequest, dev.kubegate.v1.DeletePodResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeletePod"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.DeletePodRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.DeletePodResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PodServiceMethodDescriptorSupplier("DeletePod"))
              .build();
        }
      }
    }
    return getDeletePodMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.WatchPodsRequest,
      dev.kubegate.v1.WatchPodsResponse> getWatchPodsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "WatchPods",
      requestType = dev.kubegate.v1.WatchPodsRequest.class,
      responseType = dev.kubegate.v1.WatchPodsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.WatchPodsRequest,
      dev.kubegate.v1.WatchPodsResponse> getWatchPodsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.WatchPodsRequest, dev.kubegate.v1.WatchPodsResponse> getWatchPodsMethod;
    if ((getWatchPodsMethod = PodServiceGrpc.getWatchPodsMethod) == null) {
      synchronized (PodServiceGrpc.class) {
        if ((getWatchPodsMethod = PodServiceGrpc.getWatchPodsMethod) == null) {
          PodServiceGrpc.getWatchPodsMethod = getWatchPodsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.WatchPodsRequest, dev.kubegate.v1.WatchPodsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "WatchPods"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.WatchPodsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.WatchPodsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PodServiceMethodDescriptorSupplier("WatchPods"))
              .build();
        }
      }
    }
    return getWatchPodsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.CleanupPodsRequest,
      dev.kubegate.v1.CleanupPodsResponse> getCleanupPodsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CleanupPods",
      requestType = dev.kubegate.v1.CleanupPodsRequest.class,
      responseType = dev.kubegate.v1.CleanupPodsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.CleanupPodsRequest,
      dev.kubegate.v1.CleanupPodsResponse> getCleanupPodsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.CleanupPodsRequest, dev.kubegate.v1.CleanupPodsResponse> getCleanupPodsMethod;
    if ((getCleanupPodsMethod = PodServiceGrpc.getCleanupPodsMethod) == null) {
      synchronized (PodServiceGrpc.class) {
        if ((getCleanupPodsMethod = PodServiceGrpc.getCleanupPodsMethod) == null) {
          PodServiceGrpc.getCleanupPodsMethod = getCleanupPodsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.CleanupPodsRequest, dev.kubegate.v1.CleanupPodsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CleanupPods"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CleanupPodsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CleanupPodsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PodServiceMethodDescriptorSupplier("CleanupPods"))
              .build();
        }
      }
    }
    return getCleanupPodsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.GetPodLogsRequest,
      dev.kubegate.v1.GetPodLogsResponse> getGetPodLogsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetPodLogs",
      requestType = dev.kubegate.v1.GetPodLogsRequest.class,
      responseType = dev.kubegate.v1.GetPodLogsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.GetPodLogsRequest,
      dev.kubegate.v1.GetPodLogsResponse> getGetPodLogsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.GetPodLogsRequest, dev.kubegate.v1.GetPodLogsResponse> getGetPodLogsMethod;
    if ((getGetPodLogsMethod = PodServiceGrpc.getGetPodLogsMethod) == null) {
      synchronized (PodServiceGrpc.class) {
        if ((getGetPodLogsMethod = PodServiceGrpc.getGetPodLogsMethod) == null) {
          PodServiceGrpc.getGetPodLogsMethod = getGetPodLogsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.GetPodLogsRequest, dev.kubegate.v1.GetPodLogsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetPodLogs"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetPodLogsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetPodLogsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PodServiceMethodDescriptorSupplier("GetPodLogs"))
              .build();
        }
      }
    }
    return getGetPodLogsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.FollowPodLogsRequest,
      dev.kubegate.v1.FollowPodLogsResponse> getFollowPodLogsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "FollowPodLogs",
      requestType = dev.kubegate.v1.FollowPodLogsRequest.class,
      responseType = dev.kubegate.v1.FollowPodLogsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.FollowPodLogsRequest,
      dev.kubegate.v1.FollowPodLogsResponse> getFollowPodLogsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.FollowPodLogsRequest, dev.kubegate.v1.FollowPodLogsResponse> getFollowPodLogsMethod;
    if ((getFollowPodLogsMethod = PodServiceGrpc.getFollowPodLogsMethod) == null) {
      synchronized (PodServiceGrpc.class) {
        if ((getFollowPodLogsMethod = PodServiceGrpc.getFollowPodLogsMethod) == null) {
          PodServiceGrpc.getFollowPodLogsMethod = getFollowPodLogsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.FollowPodLogsRequest, dev.kubegate.v1.FollowPodLogsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "FollowPodLogs"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.FollowPodLogsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.FollowPodLogsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new PodServiceMethodDescriptorSupplier("FollowPodLogs"))
              .build();
        }
      }
    }
    return getFollowPodLogsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static PodServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<PodServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<PodServiceStub>() {
        @java.lang.Override
        public PodServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new PodServiceStub(channel, callOptions);
        }
      };
    return PodServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static PodServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<PodServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<PodServiceBlockingV2Stub>() {
        @java.lang.Override
        public PodServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new PodServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return PodServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static PodServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<PodServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<PodServiceBlockingStub>() {
        @java.lang.Override
        public PodServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new PodServiceBlockingStub(channel, callOptions);
        }
      };
    return PodServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static PodServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<PodServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<PodServiceFutureStub>() {
        @java.lang.Override
        public PodServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new PodServiceFutureStub(channel, callOptions);
        }
      };
    return PodServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * PodService creates, inspects, watches, cleans up and reads the logs of throw-away pods.
   * Every request takes an optional namespace; empty means the service's configured namespace, and a
   * namespace outside the configured allow-list is refused with PERMISSION_DENIED.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Creates a pod with a single container from the given spec. The spec is validated before anything is
     * sent to Kubernetes; an invalid field is INVALID_ARGUMENT naming it, an existing pod ALREADY_EXISTS.
     * </pre>
     */
    default void createPod(dev.kubegate.v1.CreatePodRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CreatePodResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreatePodMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns one pod: its summary and the Kubernetes object as the API server wrote it. NOT_FOUND if absent.
     * </pre>
     */
    default void getPod(dev.kubegate.v1.GetPodRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPodResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetPodMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists pods, filtered by label selector and phase, one page at a time.
     * </pre>
     */
    default void listPods(dev.kubegate.v1.ListPodsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListPodsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListPodsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes a pod, gracefully by default. NOT_FOUND if the pod does not exist.
     * </pre>
     */
    default void deletePod(dev.kubegate.v1.DeletePodRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.DeletePodResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeletePodMethod(), responseObserver);
    }

    /**
     * <pre>
     * Streams changes to pods until the client leaves. The stream survives Kubernetes watch expiry by
     * relisting, and then reports the differences it finds as ordinary events.
     * </pre>
     */
    default void watchPods(dev.kubegate.v1.WatchPodsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.WatchPodsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getWatchPodsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes managed pods that finished longer ago than a maximum age, and pods whose time-to-live expired.
     * It never deletes the service's own pod nor a manager pod that kubegate does not manage.
     * </pre>
     */
    default void cleanupPods(dev.kubegate.v1.CleanupPodsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CleanupPodsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCleanupPodsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns the logs of one container of a pod, at once. NOT_FOUND for a missing pod, INVALID_ARGUMENT for
     * a container the pod does not have.
     * </pre>
     */
    default void getPodLogs(dev.kubegate.v1.GetPodLogsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPodLogsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetPodLogsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Streams the logs of one container as they are written, until the container ends or the client leaves.
     * A dropped Kubernetes connection is resumed from the last line seen, without duplicates.
     * </pre>
     */
    default void followPodLogs(dev.kubegate.v1.FollowPodLogsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.FollowPodLogsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getFollowPodLogsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service PodService.
   * <pre>
   * PodService creates, inspects, watches, cleans up and reads the logs of throw-away pods.
   * Every request takes an optional namespace; empty means the service's configured namespace, and a
   * namespace outside the configured allow-list is refused with PERMISSION_DENIED.
   * </pre>
   */
  public static abstract class PodServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return PodServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service PodService.
   * <pre>
   * PodService creates, inspects, watches, cleans up and reads the logs of throw-away pods.
   * Every request takes an optional namespace; empty means the service's configured namespace, and a
   * namespace outside the configured allow-list is refused with PERMISSION_DENIED.
   * </pre>
   */
  public static final class PodServiceStub
      extends io.grpc.stub.AbstractAsyncStub<PodServiceStub> {
    private PodServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected PodServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new PodServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a pod with a single container from the given spec. The spec is validated before anything is
     * sent to Kubernetes; an invalid field is INVALID_ARGUMENT naming it, an existing pod ALREADY_EXISTS.
     * </pre>
     */
    public void createPod(dev.kubegate.v1.CreatePodRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CreatePodResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreatePodMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns one pod: its summary and the Kubernetes object as the API server wrote it. NOT_FOUND if absent.
     * </pre>
     */
    public void getPod(dev.kubegate.v1.GetPodRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPodResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetPodMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists pods, filtered by label selector and phase, one page at a time.
     * </pre>
     */
    public void listPods(dev.kubegate.v1.ListPodsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListPodsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListPodsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes a pod, gracefully by default. NOT_FOUND if the pod does not exist.
     * </pre>
     */
    public void deletePod(dev.kubegate.v1.DeletePodRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.DeletePodResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeletePodMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Streams changes to pods until the client leaves. The stream survives Kubernetes watch expiry by
     * relisting, and then reports the differences it finds as ordinary events.
     * </pre>
     */
    public void watchPods(dev.kubegate.v1.WatchPodsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.WatchPodsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getWatchPodsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes managed pods that finished longer ago than a maximum age, and pods whose time-to-live expired.
     * It never deletes the service's own pod nor a manager pod that kubegate does not manage.
     * </pre>
     */
    public void cleanupPods(dev.kubegate.v1.CleanupPodsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CleanupPodsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCleanupPodsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns the logs of one container of a pod, at once. NOT_FOUND for a missing pod, INVALID_ARGUMENT for
     * a container the pod does not have.
     * </pre>
     */
    public void getPodLogs(dev.kubegate.v1.GetPodLogsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPodLogsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetPodLogsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Streams the logs of one container as they are written, until the container ends or the client leaves.
     * A dropped Kubernetes connection is resumed from the last line seen, without duplicates.
     * </pre>
     */
    public void followPodLogs(dev.kubegate.v1.FollowPodLogsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.FollowPodLogsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getFollowPodLogsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service PodService.
   * <pre>
   * PodService creates, inspects, watches, cleans up and reads the logs of throw-away pods.
   * Every request takes an optional namespace; empty means the service's configured namespace, and a
   * namespace outside the configured allow-list is refused with PERMISSION_DENIED.
   * </pre>
   */
  public static final class PodServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<PodServiceBlockingV2Stub> {
    private PodServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected PodServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new PodServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a pod with a single container from the given spec. The spec is validated before anything is
     * sent to Kubernetes; an invalid field is INVALID_ARGUMENT naming it, an existing pod ALREADY_EXISTS.
     * </pre>
     */
    public dev.kubegate.v1.CreatePodResponse createPod(dev.kubegate.v1.CreatePodRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreatePodMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one pod: its summary and the Kubernetes object as the API server wrote it. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.GetPodResponse getPod(dev.kubegate.v1.GetPodRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetPodMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists pods, filtered by label selector and phase, one page at a time.
     * </pre>
     */
    public dev.kubegate.v1.ListPodsResponse listPods(dev.kubegate.v1.ListPodsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListPodsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a pod, gracefully by default. NOT_FOUND if the pod does not exist.
     * </pre>
     */
    public dev.kubegate.v1.DeletePodResponse deletePod(dev.kubegate.v1.DeletePodRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeletePodMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams changes to pods until the client leaves. The stream survives Kubernetes watch expiry by
     * relisting, and then reports the differences it finds as ordinary events.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.kubegate.v1.WatchPodsResponse>
        watchPods(dev.kubegate.v1.WatchPodsRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getWatchPodsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes managed pods that finished longer ago than a maximum age, and pods whose time-to-live expired.
     * It never deletes the service's own pod nor a manager pod that kubegate does not manage.
     * </pre>
     */
    public dev.kubegate.v1.CleanupPodsResponse cleanupPods(dev.kubegate.v1.CleanupPodsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCleanupPodsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns the logs of one container of a pod, at once. NOT_FOUND for a missing pod, INVALID_ARGUMENT for
     * a container the pod does not have.
     * </pre>
     */
    public dev.kubegate.v1.GetPodLogsResponse getPodLogs(dev.kubegate.v1.GetPodLogsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetPodLogsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams the logs of one container as they are written, until the container ends or the client leaves.
     * A dropped Kubernetes connection is resumed from the last line seen, without duplicates.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.kubegate.v1.FollowPodLogsResponse>
        followPodLogs(dev.kubegate.v1.FollowPodLogsRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getFollowPodLogsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service PodService.
   * <pre>
   * PodService creates, inspects, watches, cleans up and reads the logs of throw-away pods.
   * Every request takes an optional namespace; empty means the service's configured namespace, and a
   * namespace outside the configured allow-list is refused with PERMISSION_DENIED.
   * </pre>
   */
  public static final class PodServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<PodServiceBlockingStub> {
    private PodServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected PodServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new PodServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a pod with a single container from the given spec. The spec is validated before anything is
     * sent to Kubernetes; an invalid field is INVALID_ARGUMENT naming it, an existing pod ALREADY_EXISTS.
     * </pre>
     */
    public dev.kubegate.v1.CreatePodResponse createPod(dev.kubegate.v1.CreatePodRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreatePodMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one pod: its summary and the Kubernetes object as the API server wrote it. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.GetPodResponse getPod(dev.kubegate.v1.GetPodRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetPodMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists pods, filtered by label selector and phase, one page at a time.
     * </pre>
     */
    public dev.kubegate.v1.ListPodsResponse listPods(dev.kubegate.v1.ListPodsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListPodsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a pod, gracefully by default. NOT_FOUND if the pod does not exist.
     * </pre>
     */
    public dev.kubegate.v1.DeletePodResponse deletePod(dev.kubegate.v1.DeletePodRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeletePodMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams changes to pods until the client leaves. The stream survives Kubernetes watch expiry by
     * relisting, and then reports the differences it finds as ordinary events.
     * </pre>
     */
    public java.util.Iterator<dev.kubegate.v1.WatchPodsResponse> watchPods(
        dev.kubegate.v1.WatchPodsRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getWatchPodsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes managed pods that finished longer ago than a maximum age, and pods whose time-to-live expired.
     * It never deletes the service's own pod nor a manager pod that kubegate does not manage.
     * </pre>
     */
    public dev.kubegate.v1.CleanupPodsResponse cleanupPods(dev.kubegate.v1.CleanupPodsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCleanupPodsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns the logs of one container of a pod, at once. NOT_FOUND for a missing pod, INVALID_ARGUMENT for
     * a container the pod does not have.
     * </pre>
     */
    public dev.kubegate.v1.GetPodLogsResponse getPodLogs(dev.kubegate.v1.GetPodLogsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetPodLogsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams the logs of one container as they are written, until the container ends or the client leaves.
     * A dropped Kubernetes connection is resumed from the last line seen, without duplicates.
     * </pre>
     */
    public java.util.Iterator<dev.kubegate.v1.FollowPodLogsResponse> followPodLogs(
        dev.kubegate.v1.FollowPodLogsRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getFollowPodLogsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service PodService.
   * <pre>
   * PodService creates, inspects, watches, cleans up and reads the logs of throw-away pods.
   * Every request takes an optional namespace; empty means the service's configured namespace, and a
   * namespace outside the configured allow-list is refused with PERMISSION_DENIED.
   * </pre>
   */
  public static final class PodServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<PodServiceFutureStub> {
    private PodServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected PodServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new PodServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a pod with a single container from the given spec. The spec is validated before anything is
     * sent to Kubernetes; an invalid field is INVALID_ARGUMENT naming it, an existing pod ALREADY_EXISTS.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.CreatePodResponse> createPod(
        dev.kubegate.v1.CreatePodRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreatePodMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns one pod: its summary and the Kubernetes object as the API server wrote it. NOT_FOUND if absent.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.GetPodResponse> getPod(
        dev.kubegate.v1.GetPodRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetPodMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists pods, filtered by label selector and phase, one page at a time.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.ListPodsResponse> listPods(
        dev.kubegate.v1.ListPodsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListPodsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes a pod, gracefully by default. NOT_FOUND if the pod does not exist.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.DeletePodResponse> deletePod(
        dev.kubegate.v1.DeletePodRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeletePodMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes managed pods that finished longer ago than a maximum age, and pods whose time-to-live expired.
     * It never deletes the service's own pod nor a manager pod that kubegate does not manage.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.CleanupPodsResponse> cleanupPods(
        dev.kubegate.v1.CleanupPodsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCleanupPodsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns the logs of one container of a pod, at once. NOT_FOUND for a missing pod, INVALID_ARGUMENT for
     * a container the pod does not have.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.GetPodLogsResponse> getPodLogs(
        dev.kubegate.v1.GetPodLogsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetPodLogsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_POD = 0;
  private static final int METHODID_GET_POD = 1;
  private static final int METHODID_LIST_PODS = 2;
  private static final int METHODID_DELETE_POD = 3;
  private static final int METHODID_WATCH_PODS = 4;
  private static final int METHODID_CLEANUP_PODS = 5;
  private static final int METHODID_GET_POD_LOGS = 6;
  private static final int METHODID_FOLLOW_POD_LOGS = 7;

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
        case METHODID_CREATE_POD:
          serviceImpl.createPod((dev.kubegate.v1.CreatePodRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.CreatePodResponse>) responseObserver);
          break;
        case METHODID_GET_POD:
          serviceImpl.getPod((dev.kubegate.v1.GetPodRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPodResponse>) responseObserver);
          break;
        case METHODID_LIST_PODS:
          serviceImpl.listPods((dev.kubegate.v1.ListPodsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.ListPodsResponse>) responseObserver);
          break;
        case METHODID_DELETE_POD:
          serviceImpl.deletePod((dev.kubegate.v1.DeletePodRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.DeletePodResponse>) responseObserver);
          break;
        case METHODID_WATCH_PODS:
          serviceImpl.watchPods((dev.kubegate.v1.WatchPodsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.WatchPodsResponse>) responseObserver);
          break;
        case METHODID_CLEANUP_PODS:
          serviceImpl.cleanupPods((dev.kubegate.v1.CleanupPodsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.CleanupPodsResponse>) responseObserver);
          break;
        case METHODID_GET_POD_LOGS:
          serviceImpl.getPodLogs((dev.kubegate.v1.GetPodLogsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.GetPodLogsResponse>) responseObserver);
          break;
        case METHODID_FOLLOW_POD_LOGS:
          serviceImpl.followPodLogs((dev.kubegate.v1.FollowPodLogsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.FollowPodLogsResponse>) responseObserver);
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
          getCreatePodMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.CreatePodRequest,
              dev.kubegate.v1.CreatePodResponse>(
                service, METHODID_CREATE_POD)))
        .addMethod(
          getGetPodMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.GetPodRequest,
              dev.kubegate.v1.GetPodResponse>(
                service, METHODID_GET_POD)))
        .addMethod(
          getListPodsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.ListPodsRequest,
              dev.kubegate.v1.ListPodsResponse>(
                service, METHODID_LIST_PODS)))
        .addMethod(
          getDeletePodMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.DeletePodRequest,
              dev.kubegate.v1.DeletePodResponse>(
                service, METHODID_DELETE_POD)))
        .addMethod(
          getWatchPodsMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.kubegate.v1.WatchPodsRequest,
              dev.kubegate.v1.WatchPodsResponse>(
                service, METHODID_WATCH_PODS)))
        .addMethod(
          getCleanupPodsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.CleanupPodsRequest,
              dev.kubegate.v1.CleanupPodsResponse>(
                service, METHODID_CLEANUP_PODS)))
        .addMethod(
          getGetPodLogsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.GetPodLogsRequest,
              dev.kubegate.v1.GetPodLogsResponse>(
                service, METHODID_GET_POD_LOGS)))
        .addMethod(
          getFollowPodLogsMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.kubegate.v1.FollowPodLogsRequest,
              dev.kubegate.v1.FollowPodLogsResponse>(
                service, METHODID_FOLLOW_POD_LOGS)))
        .build();
  }

  private static abstract class PodServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    PodServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.kubegate.v1.PodsProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("PodService");
    }
  }

  private static final class PodServiceFileDescriptorSupplier
      extends PodServiceBaseDescriptorSupplier {
    PodServiceFileDescriptorSupplier() {}
  }

  private static final class PodServiceMethodDescriptorSupplier
      extends PodServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    PodServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (PodServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new PodServiceFileDescriptorSupplier())
              .addMethod(getCreatePodMethod())
              .addMethod(getGetPodMethod())
              .addMethod(getListPodsMethod())
              .addMethod(getDeletePodMethod())
              .addMethod(getWatchPodsMethod())
              .addMethod(getCleanupPodsMethod())
              .addMethod(getGetPodLogsMethod())
              .addMethod(getFollowPodLogsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
