package dev.kubegate.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * ClusterService reads and changes how kubegate reaches Kubernetes, and checks that it can.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class ClusterServiceGrpc {

  private ClusterServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "kubegate.v1.ClusterService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.GetClusterSettingsRequest,
      dev.kubegate.v1.GetClusterSettingsResponse> getGetClusterSettingsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetClusterSettings",
      requestType = dev.kubegate.v1.GetClusterSettingsRequest.class,
      responseType = dev.kubegate.v1.GetClusterSettingsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.GetClusterSettingsRequest,
      dev.kubegate.v1.GetClusterSettingsResponse> getGetClusterSettingsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.GetClusterSettingsRequest, dev.kubegate.v1.GetClusterSettingsResponse> getGetClusterSettingsMethod;
    if ((getGetClusterSettingsMethod = ClusterServiceGrpc.getGetClusterSettingsMethod) == null) {
      synchronized (ClusterServiceGrpc.class) {
        if ((getGetClusterSettingsMethod = ClusterServiceGrpc.getGetClusterSettingsMethod) == null) {
          ClusterServiceGrpc.getGetClusterSettingsMethod = getGetClusterSettingsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.GetClusterSettingsRequest, dev.kubegate.v1.GetClusterSettingsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetClusterSettings"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetClusterSettingsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetClusterSettingsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ClusterServiceMethodDescriptorSupplier("GetClusterSettings"))
              .build();
        }
      }
    }
    return getGetClusterSettingsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.UpdateClusterSettingsRequest,
      dev.kubegate.v1.UpdateClusterSettingsResponse> getUpdateClusterSettingsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "UpdateClusterSettings",
      requestType = dev.kubegate.v1.UpdateClusterSettingsRequest.class,
      responseType = dev.kubegate.v1.UpdateClusterSettingsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.UpdateClusterSettingsRequest,
      dev.kubegate.v1.UpdateClusterSettingsResponse> getUpdateClusterSettingsMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.UpdateClusterSettingsRequest, dev.kubegate.v1.UpdateClusterSettingsResponse> getUpdateClusterSettingsMethod;
    if ((getUpdateClusterSettingsMethod = ClusterServiceGrpc.getUpdateClusterSettingsMethod) == null) {
      synchronized (ClusterServiceGrpc.class) {
        if ((getUpdateClusterSettingsMethod = ClusterServiceGrpc.getUpdateClusterSettingsMethod) == null) {
          ClusterServiceGrpc.getUpdateClusterSettingsMethod = getUpdateClusterSettingsMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.UpdateClusterSettingsRequest, dev.kubegate.v1.UpdateClusterSettingsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "UpdateClusterSettings"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.UpdateClusterSettingsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.UpdateClusterSettingsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ClusterServiceMethodDescriptorSupplier("UpdateClusterSettings"))
              .build();
        }
      }
    }
    return getUpdateClusterSettingsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.TestConnectionRequest,
      dev.kubegate.v1.TestConnectionResponse> getTestConnectionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TestConnection",
      requestType = dev.kubegate.v1.TestConnectionRequest.class,
      responseType = dev.kubegate.v1.TestConnectionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.TestConnectionRequest,
      dev.kubegate.v1.TestConnectionResponse> getTestConnectionMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.TestConnectionRequest, dev.kubegate.v1.TestConnectionResponse> getTestConnectionMethod;
    if ((getTestConnectionMethod = ClusterServiceGrpc.getTestConnectionMethod) == null) {
      synchronized (ClusterServiceGrpc.class) {
        if ((getTestConnectionMethod = ClusterServiceGrpc.getTestConnectionMethod) == null) {
          ClusterServiceGrpc.getTestConnectionMethod = getTestConnectionMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.TestConnectionRequest, dev.kubegate.v1.TestConnectionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TestConnection"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.TestConnectionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.TestConnectionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ClusterServiceMethodDescriptorSupplier("TestConnection"))
              .build();
        }
      }
    }
    return getTestConnectionMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static ClusterServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ClusterServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ClusterServiceStub>() {
        @java.lang.Override
        public ClusterServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ClusterServiceStub(channel, callOptions);
        }
      };
    return ClusterServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static ClusterServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ClusterServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ClusterServiceBlockingV2Stub>() {
        @java.lang.Override
        public ClusterServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ClusterServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return ClusterServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static ClusterServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ClusterServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ClusterServiceBlockingStub>() {
        @java.lang.Override
        public ClusterServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ClusterServiceBlockingStub(channel, callOptions);
        }
      };
    return ClusterServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static ClusterServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ClusterServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ClusterServiceFutureStub>() {
        @java.lang.Override
        public ClusterServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ClusterServiceFutureStub(channel, callOptions);
        }
      };
    return ClusterServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * ClusterService reads and changes how kubegate reaches Kubernetes, and checks that it can.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Returns the current settings and where they are stored.
     * </pre>
     */
    default void getClusterSettings(dev.kubegate.v1.GetClusterSettingsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetClusterSettingsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetClusterSettingsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Changes settings, persists them atomically and applies them to the next call without a restart. An
     * invalid update (an unreadable kubeconfig, a bad namespace) changes nothing and is INVALID_ARGUMENT.
     * </pre>
     */
    default void updateClusterSettings(dev.kubegate.v1.UpdateClusterSettingsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.UpdateClusterSettingsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getUpdateClusterSettingsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Checks the connection: the API server's reachability and version, who the service is, and each
     * permission it needs. A failed check is reported in the response, not as an error.
     * </pre>
     */
    default void testConnection(dev.kubegate.v1.TestConnectionRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.TestConnectionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTestConnectionMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service ClusterService.
   * <pre>
   * ClusterService reads and changes how kubegate reaches Kubernetes, and checks that it can.
   * </pre>
   */
  public static abstract class ClusterServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return ClusterServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service ClusterService.
   * <pre>
   * ClusterService reads and changes how kubegate reaches Kubernetes, and checks that it can.
   * </pre>
   */
  public static final class ClusterServiceStub
      extends io.grpc.stub.AbstractAsyncStub<ClusterServiceStub> {
    private ClusterServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ClusterServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ClusterServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Returns the current settings and where they are stored.
     * </pre>
     */
    public void getClusterSettings(dev.kubegate.v1.GetClusterSettingsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetClusterSettingsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetClusterSettingsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Changes settings, persists them atomically and applies them to the next call without a restart. An
     * invalid update (an unreadable kubeconfig, a bad namespace) changes nothing and is INVALID_ARGUMENT.
     * </pre>
     */
    public void updateClusterSettings(dev.kubegate.v1.UpdateClusterSettingsRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.UpdateClusterSettingsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getUpdateClusterSettingsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Checks the connection: the API server's reachability and version, who the service is, and each
     * permission it needs. A failed check is reported in the response, not as an error.
     * </pre>
     */
    public void testConnection(dev.kubegate.v1.TestConnectionRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.TestConnectionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTestConnectionMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service ClusterService.
   * <pre>
   * ClusterService reads and changes how kubegate reaches Kubernetes, and checks that it can.
   * </pre>
   */
  public static final class ClusterServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<ClusterServiceBlockingV2Stub> {
    private ClusterServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ClusterServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ClusterServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Returns the current settings and where they are stored.
     * </pre>
     */
    public dev.kubegate.v1.GetClusterSettingsResponse getClusterSettings(dev.kubegate.v1.GetClusterSettingsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetClusterSettingsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Changes settings, persists them atomically and applies them to the next call without a restart. An
     * invalid update (an unreadable kubeconfig, a bad namespace) changes nothing and is INVALID_ARGUMENT.
     * </pre>
     */
    public dev.kubegate.v1.UpdateClusterSettingsResponse updateClusterSettings(dev.kubegate.v1.UpdateClusterSettingsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getUpdateClusterSettingsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Checks the connection: the API server's reachability and version, who the service is, and each
     * permission it needs. A failed check is reported in the response, not as an error.
     * </pre>
     */
    public dev.kubegate.v1.TestConnectionResponse testConnection(dev.kubegate.v1.TestConnectionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTestConnectionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service ClusterService.
   * <pre>
   * ClusterService reads and changes how kubegate reaches Kubernetes, and checks that it can.
   * </pre>
   */
  public static final class ClusterServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<ClusterServiceBlockingStub> {
    private ClusterServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ClusterServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ClusterServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Returns the current settings and where they are stored.
     * </pre>
     */
    public dev.kubegate.v1.GetClusterSettingsResponse getClusterSettings(dev.kubegate.v1.GetClusterSettingsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetClusterSettingsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Changes settings, persists them atomically and applies them to the next call without a restart. An
     * invalid update (an unreadable kubeconfig, a bad namespace) changes nothing and is INVALID_ARGUMENT.
     * </pre>
     */
    public dev.kubegate.v1.UpdateClusterSettingsResponse updateClusterSettings(dev.kubegate.v1.UpdateClusterSettingsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getUpdateClusterSettingsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Checks the connection: the API server's reachability and version, who the service is, and each
     * permission it needs. A failed check is reported in the response, not as an error.
     * </pre>
     */
    public dev.kubegate.v1.TestConnectionResponse testConnection(dev.kubegate.v1.TestConnectionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTestConnectionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service ClusterService.
   * <pre>
   * ClusterService reads and changes how kubegate reaches Kubernetes, and checks that it can.
   * </pre>
   */
  public static final class ClusterServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<ClusterServiceFutureStub> {
    private ClusterServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ClusterServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ClusterServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Returns the current settings and where they are stored.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.GetClusterSettingsResponse> getClusterSettings(
        dev.kubegate.v1.GetClusterSettingsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetClusterSettingsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Changes settings, persists them atomically and applies them to the next call without a restart. An
     * invalid update (an unreadable kubeconfig, a bad namespace) changes nothing and is INVALID_ARGUMENT.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.UpdateClusterSettingsResponse> updateClusterSettings(
        dev.kubegate.v1.UpdateClusterSettingsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getUpdateClusterSettingsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Checks the connection: the API server's reachability and version, who the service is, and each
     * permission it needs. A failed check is reported in the response, not as an error.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.TestConnectionResponse> testConnection(
        dev.kubegate.v1.TestConnectionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTestConnectionMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET_CLUSTER_SETTINGS = 0;
  private static final int METHODID_UPDATE_CLUSTER_SETTINGS = 1;
  private static final int METHODID_TEST_CONNECTION = 2;

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
        case METHODID_GET_CLUSTER_SETTINGS:
          serviceImpl.getClusterSettings((dev.kubegate.v1.GetClusterSettingsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.GetClusterSettingsResponse>) responseObserver);
          break;
        case METHODID_UPDATE_CLUSTER_SETTINGS:
          serviceImpl.updateClusterSettings((dev.kubegate.v1.UpdateClusterSettingsRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.UpdateClusterSettingsResponse>) responseObserver);
          break;
        case METHODID_TEST_CONNECTION:
          serviceImpl.testConnection((dev.kubegate.v1.TestConnectionRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.TestConnectionResponse>) responseObserver);
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
          getGetClusterSettingsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.GetClusterSettingsRequest,
              dev.kubegate.v1.GetClusterSettingsResponse>(
                service, METHODID_GET_CLUSTER_SETTINGS)))
        .addMethod(
          getUpdateClusterSettingsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.UpdateClusterSettingsRequest,
              dev.kubegate.v1.UpdateClusterSettingsResponse>(
                service, METHODID_UPDATE_CLUSTER_SETTINGS)))
        .addMethod(
          getTestConnectionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.TestConnectionRequest,
              dev.kubegate.v1.TestConnectionResponse>(
                service, METHODID_TEST_CONNECTION)))
        .build();
  }

  private static abstract class ClusterServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    ClusterServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.kubegate.v1.ClusterProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("ClusterService");
    }
  }

  private static final class ClusterServiceFileDescriptorSupplier
      extends ClusterServiceBaseDescriptorSupplier {
    ClusterServiceFileDescriptorSupplier() {}
  }

  private static final class ClusterServiceMethodDescriptorSupplier
      extends ClusterServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    ClusterServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (ClusterServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new ClusterServiceFileDescriptorSupplier())
              .addMethod(getGetClusterSettingsMethod())
              .addMethod(getUpdateClusterSettingsMethod())
              .addMethod(getTestConnectionMethod())
              .build();
        }
      }
    }
    return result;
  }
}
