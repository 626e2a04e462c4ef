package dev.kubegate.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * NetworkService manages the Kubernetes objects that put pods on the network: Kubernetes Services (named
 * KubernetesService here, to keep them apart from gRPC services) and Ingresses.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class NetworkServiceGrpc {

  private NetworkServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "kubegate.v1.NetworkService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.CreateKubernetesServiceRequest,
      dev.kubegate.v1.CreateKubernetesServiceResponse> getCreateKubernetesServiceMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateKubernetesService",
      requestType = dev.kubegate.v1.CreateKubernetesServiceRequest.class,
      responseType = dev.kubegate.v1.CreateKubernetesServiceResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.CreateKubernetesServiceRequest,
      dev.kubegate.v1.CreateKubernetesServiceResponse> getCreateKubernetesServiceMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.CreateKubernetesServiceRequest, dev.kubegate.v1.CreateKubernetesServiceResponse> getCreateKubernetesServiceMethod;
    if ((getCreateKubernetesServiceMethod = NetworkServiceGrpc.getCreateKubernetesServiceMethod) == null) {
      synchronized (NetworkServiceGrpc.class) {
        if ((getCreateKubernetesServiceMethod = NetworkServiceGrpc.getCreateKubernetesServiceMethod) == null) {
          NetworkServiceGrpc.getCreateKubernetesServiceMethod = getCreateKubernetesServiceMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.CreateKubernetesServiceRequest, dev.kubegate.v1.CreateKubernetesServiceResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateKubernetesService"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CreateKubernetesServiceRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CreateKubernetesServiceResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NetworkServiceMethodDescriptorSupplier("CreateKubernetesService"))
              .build();
        }
      }
    }
    return getCreateKubernetesServiceMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.GetKubernetesServiceRequest,
      dev.kubegate.v1.GetKubernetesServiceResponse> getGetKubernetesServiceMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetKubernetesService",
      requestType = dev.kubegate.v1.GetKubernetesServiceRequest.class,
      responseType = dev.kubegate.v1.GetKubernetesServiceResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.GetKubernetesServiceRequest,
      dev.kubegate.v1.GetKubernetesServiceResponse> getGetKubernetesServiceMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.GetKubernetesServiceRequest, dev.kubegate.v1.GetKubernetesServiceResponse> getGetKubernetesServiceMethod;
    if ((getGetKubernetesServiceMethod = NetworkServiceGrpc.getGetKubernetesServiceMethod) == null) {
      synchronized (NetworkServiceGrpc.class) {
        if ((getGetKubernetesServiceMethod = NetworkServiceGrpc.getGetKubernetesServiceMethod) == null) {
          NetworkServiceGrpc.getGetKubernetesServiceMethod = getGetKubernetesServiceMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.GetKubernetesServiceRequest, dev.kubegate.v1.GetKubernetesServiceResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetKubernetesService"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetKubernetesServiceRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetKubernetesServiceResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NetworkServiceMethodDescriptorSupplier("GetKubernetesService"))
              .build();
        }
      }
    }
    return getGetKubernetesServiceMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.ListKubernetesServicesRequest,
      dev.kubegate.v1.ListKubernetesServicesResponse> getListKubernetesServicesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListKubernetesServices",
      requestType = dev.kubegate.v1.ListKubernetesServicesRequest.class,
      responseType = dev.kubegate.v1.ListKubernetesServicesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.ListKubernetesServicesRequest,
      dev.kubegate.v1.ListKubernetesServicesResponse> getListKubernetesServicesMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.ListKubernetesServicesRequest, dev.kubegate.v1.ListKubernetesServicesResponse> getListKubernetesServicesMethod;
    if ((getListKubernetesServicesMethod = NetworkServiceGrpc.getListKubernetesServicesMethod) == null) {
      synchronized (NetworkServiceGrpc.class) {
        if ((getListKubernetesServicesMethod = NetworkServiceGrpc.getListKubernetesServicesMethod) == null) {
          NetworkServiceGrpc.getListKubernetesServicesMethod = getListKubernetesServicesMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.ListKubernetesServicesRequest, dev.kubegate.v1.ListKubernetesServicesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListKubernetesServices"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListKubernetesServicesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListKubernetesServicesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NetworkServiceMethodDescriptorSupplier("ListKubernetesServices"))
              .build();
        }
      }
    }
    return getListKubernetesServicesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.DeleteKubernetesServiceRequest,
      dev.kubegate.v1.DeleteKubernetesServiceResponse> getDeleteKubernetesServiceMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteKubernetesService",
      requestType = dev.kubegate.v1.DeleteKubernetesServiceRequest.class,
      responseType = dev.kubegate.v1.DeleteKubernetesServiceResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.DeleteKubernetesServiceRequest,
      dev.kubegate.v1.DeleteKubernetesServiceResponse> getDeleteKubernetesServiceMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.DeleteKubernetesServiceRequest, dev.kubegate.v1.DeleteKubernetesServiceResponse> getDeleteKubernetesServiceMethod;
    if ((getDeleteKubernetesServiceMethod = NetworkServiceGrpc.getDeleteKubernetesServiceMethod) == null) {
      synchronized (NetworkServiceGrpc.class) {
        if ((getDeleteKubernetesServiceMethod = NetworkServiceGrpc.getDeleteKubernetesServiceMethod) == null) {
          NetworkServiceGrpc.getDeleteKubernetesServiceMethod = getDeleteKubernetesServiceMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.DeleteKubernetesServiceRequest, dev.kubegate.v1.DeleteKubernetesServiceResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteKubernetesService"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.DeleteKubernetesServiceRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.DeleteKubernetesServiceResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NetworkServiceMethodDescriptorSupplier("DeleteKubernetesService"))
              .build();
        }
      }
    }
    return getDeleteKubernetesServiceMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.CreateIngressRequest,
      dev.kubegate.v1.CreateIngressResponse> getCreateIngressMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateIngress",
      requestType = dev.kubegate.v1.CreateIngressRequest.class,
      responseType = dev.kubegate.v1.CreateIngressResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.CreateIngressRequest,
      dev.kubegate.v1.CreateIngressResponse> getCreateIngressMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.CreateIngressRequest, dev.kubegate.v1.CreateIngressResponse> getCreateIngressMethod;
    if ((getCreateIngressMethod = NetworkServiceGrpc.getCreateIngressMethod) == null) {
      synchronized (NetworkServiceGrpc.class) {
        if ((getCreateIngressMethod = NetworkServiceGrpc.getCreateIngressMethod) == null) {
          NetworkServiceGrpc.getCreateIngressMethod = getCreateIngressMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.CreateIngressRequest, dev.kubegate.v1.CreateIngressResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateIngress"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CreateIngressRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.CreateIngressResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NetworkServiceMethodDescriptorSupplier("CreateIngress"))
              .build();
        }
      }
    }
    return getCreateIngressMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.GetIngressRequest,
      dev.kubegate.v1.GetIngressResponse> getGetIngressMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetIngress",
      requestType = dev.kubegate.v1.GetIngressRequest.class,
      responseType = dev.kubegate.v1.GetIngressResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.GetIngressRequest,
      dev.kubegate.v1.GetIngressResponse> getGetIngressMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.GetIngressRequest, dev.kubegate.v1.GetIngressResponse> getGetIngressMethod;
    if ((getGetIngressMethod = NetworkServiceGrpc.getGetIngressMethod) == null) {
      synchronized (NetworkServiceGrpc.class) {
        if ((getGetIngressMethod = NetworkServiceGrpc.getGetIngressMethod) == null) {
          NetworkServiceGrpc.getGetIngressMethod = getGetIngressMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.GetIngressRequest, dev.kubegate.v1.GetIngressResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetIngress"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetIngressRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.GetIngressResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NetworkServiceMethodDescriptorSupplier("GetIngress"))
              .build();
        }
      }
    }
    return getGetIngressMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.ListIngressesRequest,
      dev.kubegate.v1.ListIngressesResponse> getListIngressesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListIngresses",
      requestType = dev.kubegate.v1.ListIngressesRequest.class,
      responseType = dev.kubegate.v1.ListIngressesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.ListIngressesRequest,
      dev.kubegate.v1.ListIngressesResponse> getListIngressesMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.ListIngressesRequest, dev.kubegate.v1.ListIngressesResponse> getListIngressesMethod;
    if ((getListIngressesMethod = NetworkServiceGrpc.getListIngressesMethod) == null) {
      synchronized (NetworkServiceGrpc.class) {
        if ((getListIngressesMethod = NetworkServiceGrpc.getListIngressesMethod) == null) {
          NetworkServiceGrpc.getListIngressesMethod = getListIngressesMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.ListIngressesRequest, dev.kubegate.v1.ListIngressesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListIngresses"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListIngressesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.ListIngressesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NetworkServiceMethodDescriptorSupplier("ListIngresses"))
              .build();
        }
      }
    }
    return getListIngressesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.kubegate.v1.DeleteIngressRequest,
      dev.kubegate.v1.DeleteIngressResponse> getDeleteIngressMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteIngress",
      requestType = dev.kubegate.v1.DeleteIngressRequest.class,
      responseType = dev.kubegate.v1.DeleteIngressResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.kubegate.v1.DeleteIngressRequest,
      dev.kubegate.v1.DeleteIngressResponse> getDeleteIngressMethod() {
    io.grpc.MethodDescriptor<dev.kubegate.v1.DeleteIngressRequest, dev.kubegate.v1.DeleteIngressResponse> getDeleteIngressMethod;
    if ((getDeleteIngressMethod = NetworkServiceGrpc.getDeleteIngressMethod) == null) {
      synchronized (NetworkServiceGrpc.class) {
        if ((getDeleteIngressMethod = NetworkServiceGrpc.getDeleteIngressMethod) == null) {
          NetworkServiceGrpc.getDeleteIngressMethod = getDeleteIngressMethod =
              io.grpc.MethodDescriptor.<dev.kubegate.v1.DeleteIngressRequest, dev.kubegate.v1.DeleteIngressResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteIngress"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.DeleteIngressRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.kubegate.v1.DeleteIngressResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NetworkServiceMethodDescriptorSupplier("DeleteIngress"))
              .build();
        }
      }
    }
    return getDeleteIngressMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static NetworkServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NetworkServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NetworkServiceStub>() {
        @java.lang.Override
        public NetworkServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NetworkServiceStub(channel, callOptions);
        }
      };
    return NetworkServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static NetworkServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NetworkServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NetworkServiceBlockingV2Stub>() {
        @java.lang.Override
        public NetworkServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NetworkServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return NetworkServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static NetworkServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NetworkServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NetworkServiceBlockingStub>() {
        @java.lang.Override
        public NetworkServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NetworkServiceBlockingStub(channel, callOptions);
        }
      };
    return NetworkServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static NetworkServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NetworkServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NetworkServiceFutureStub>() {
        @java.lang.Override
        public NetworkServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NetworkServiceFutureStub(channel, callOptions);
        }
      };
    return NetworkServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * NetworkService manages the Kubernetes objects that put pods on the network: Kubernetes Services (named
   * KubernetesService here, to keep them apart from gRPC services) and Ingresses.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Creates a Kubernetes Service. INVALID_ARGUMENT naming the field for bad input, ALREADY_EXISTS if taken.
     * </pre>
     */
    default void createKubernetesService(dev.kubegate.v1.CreateKubernetesServiceRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CreateKubernetesServiceResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateKubernetesServiceMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns one Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    default void getKubernetesService(dev.kubegate.v1.GetKubernetesServiceRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetKubernetesServiceResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetKubernetesServiceMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists Kubernetes Services, filtered by label selector, one page at a time.
     * </pre>
     */
    default void listKubernetesServices(dev.kubegate.v1.ListKubernetesServicesRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListKubernetesServicesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListKubernetesServicesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes a Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    default void deleteKubernetesService(dev.kubegate.v1.DeleteKubernetesServiceRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.DeleteKubernetesServiceResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteKubernetesServiceMethod(), responseObserver);
    }

    /**
     * <pre>
     * Creates an Ingress. Annotations pass through untouched.
     * </pre>
     */
    default void createIngress(dev.kubegate.v1.CreateIngressRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CreateIngressResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateIngressMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns one Ingress. NOT_FOUND if absent.
     * </pre>
     */
    default void getIngress(dev.kubegate.v1.GetIngressRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetIngressResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetIngressMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists Ingresses, filtered by label selector, one page at a time.
     * </pre>
     */
    default void listIngresses(dev.kubegate.v1.ListIngressesRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListIngressesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListIngressesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes an Ingress. NOT_FOUND if absent.
     * </pre>
     */
    default void deleteIngress(dev.kubegate.v1.DeleteIngressRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.DeleteIngressResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteIngressMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service NetworkService.
   * <pre>
   * NetworkService manages the Kubernetes objects that put pods on the network: Kubernetes Services (named
   * KubernetesService here, to keep them apart from gRPC services) and Ingresses.
   * </pre>
   */
  public static abstract class NetworkServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return NetworkServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service NetworkService.
   * <pre>
   * NetworkService manages the Kubernetes objects that put pods on the network: Kubernetes Services (named
   * KubernetesService here, to keep them apart from gRPC services) and Ingresses.
   * </pre>
   */
  public static final class NetworkServiceStub
      extends io.grpc.stub.AbstractAsyncStub<NetworkServiceStub> {
    private NetworkServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NetworkServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NetworkServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a Kubernetes Service. INVALID_ARGUMENT naming the field for bad input, ALREADY_EXISTS if taken.
     * </pre>
     */
    public void createKubernetesService(dev.kubegate.v1.CreateKubernetesServiceRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CreateKubernetesServiceResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateKubernetesServiceMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns one Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    public void getKubernetesService(dev.kubegate.v1.GetKubernetesServiceRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetKubernetesServiceResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetKubernetesServiceMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists Kubernetes Services, filtered by label selector, one page at a time.
     * </pre>
     */
    public void listKubernetesServices(dev.kubegate.v1.ListKubernetesServicesRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListKubernetesServicesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListKubernetesServicesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes a Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    public void deleteKubernetesService(dev.kubegate.v1.DeleteKubernetesServiceRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.DeleteKubernetesServiceResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteKubernetesServiceMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Creates an Ingress. Annotations pass through untouched.
     * </pre>
     */
    public void createIngress(dev.kubegate.v1.CreateIngressRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.CreateIngressResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateIngressMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns one Ingress. NOT_FOUND if absent.
     * </pre>
     */
    public void getIngress(dev.kubegate.v1.GetIngressRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.GetIngressResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetIngressMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists Ingresses, filtered by label selector, one page at a time.
     * </pre>
     */
    public void listIngresses(dev.kubegate.v1.ListIngressesRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.ListIngressesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListIngressesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes an Ingress. NOT_FOUND if absent.
     * </pre>
     */
    public void deleteIngress(dev.kubegate.v1.DeleteIngressRequest request,
        io.grpc.stub.StreamObserver<dev.kubegate.v1.DeleteIngressResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteIngressMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service NetworkService.
   * <pre>
   * NetworkService manages the Kubernetes objects that put pods on the network: Kubernetes Services (named
   * KubernetesService here, to keep them apart from gRPC services) and Ingresses.
   * </pre>
   */
  public static final class NetworkServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<NetworkServiceBlockingV2Stub> {
    private NetworkServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NetworkServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NetworkServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a Kubernetes Service. INVALID_ARGUMENT naming the field for bad input, ALREADY_EXISTS if taken.
     * </pre>
     */
    public dev.kubegate.v1.CreateKubernetesServiceResponse createKubernetesService(dev.kubegate.v1.CreateKubernetesServiceRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateKubernetesServiceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.GetKubernetesServiceResponse getKubernetesService(dev.kubegate.v1.GetKubernetesServiceRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetKubernetesServiceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists Kubernetes Services, filtered by label selector, one page at a time.
     * </pre>
     */
    public dev.kubegate.v1.ListKubernetesServicesResponse listKubernetesServices(dev.kubegate.v1.ListKubernetesServicesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListKubernetesServicesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.DeleteKubernetesServiceResponse deleteKubernetesService(dev.kubegate.v1.DeleteKubernetesServiceRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteKubernetesServiceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates an Ingress. Annotations pass through untouched.
     * </pre>
     */
    public dev.kubegate.v1.CreateIngressResponse createIngress(dev.kubegate.v1.CreateIngressRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateIngressMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one Ingress. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.GetIngressResponse getIngress(dev.kubegate.v1.GetIngressRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetIngressMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists Ingresses, filtered by label selector, one page at a time.
     * </pre>
     */
    public dev.kubegate.v1.ListIngressesResponse listIngresses(dev.kubegate.v1.ListIngressesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListIngressesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes an Ingress. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.DeleteIngressResponse deleteIngress(dev.kubegate.v1.DeleteIngressRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteIngressMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service NetworkService.
   * <pre>
   * NetworkService manages the Kubernetes objects that put pods on the network: Kubernetes Services (named
   * KubernetesService here, to keep them apart from gRPC services) and Ingresses.
   * </pre>
   */
  public static final class NetworkServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<NetworkServiceBlockingStub> {
    private NetworkServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NetworkServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NetworkServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a Kubernetes Service. INVALID_ARGUMENT naming the field for bad input, ALREADY_EXISTS if taken.
     * </pre>
     */
    public dev.kubegate.v1.CreateKubernetesServiceResponse createKubernetesService(dev.kubegate.v1.CreateKubernetesServiceRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateKubernetesServiceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.GetKubernetesServiceResponse getKubernetesService(dev.kubegate.v1.GetKubernetesServiceRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetKubernetesServiceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists Kubernetes Services, filtered by label selector, one page at a time.
     * </pre>
     */
    public dev.kubegate.v1.ListKubernetesServicesResponse listKubernetesServices(dev.kubegate.v1.ListKubernetesServicesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListKubernetesServicesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.DeleteKubernetesServiceResponse deleteKubernetesService(dev.kubegate.v1.DeleteKubernetesServiceRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteKubernetesServiceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates an Ingress. Annotations pass through untouched.
     * </pre>
     */
    public dev.kubegate.v1.CreateIngressResponse createIngress(dev.kubegate.v1.CreateIngressRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateIngressMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one Ingress. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.GetIngressResponse getIngress(dev.kubegate.v1.GetIngressRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetIngressMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists Ingresses, filtered by label selector, one page at a time.
     * </pre>
     */
    public dev.kubegate.v1.ListIngressesResponse listIngresses(dev.kubegate.v1.ListIngressesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListIngressesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes an Ingress. NOT_FOUND if absent.
     * </pre>
     */
    public dev.kubegate.v1.DeleteIngressResponse deleteIngress(dev.kubegate.v1.DeleteIngressRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteIngressMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service NetworkService.
   * <pre>
   * NetworkService manages the Kubernetes objects that put pods on the network: Kubernetes Services (named
   * KubernetesService here, to keep them apart from gRPC services) and Ingresses.
   * </pre>
   */
  public static final class NetworkServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<NetworkServiceFutureStub> {
    private NetworkServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NetworkServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NetworkServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a Kubernetes Service. INVALID_ARGUMENT naming the field for bad input, ALREADY_EXISTS if taken.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.CreateKubernetesServiceResponse> createKubernetesService(
        dev.kubegate.v1.CreateKubernetesServiceRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateKubernetesServiceMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns one Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.GetKubernetesServiceResponse> getKubernetesService(
        dev.kubegate.v1.GetKubernetesServiceRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetKubernetesServiceMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists Kubernetes Services, filtered by label selector, one page at a time.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.ListKubernetesServicesResponse> listKubernetesServices(
        dev.kubegate.v1.ListKubernetesServicesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListKubernetesServicesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes a Kubernetes Service. NOT_FOUND if absent.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.DeleteKubernetesServiceResponse> deleteKubernetesService(
        dev.kubegate.v1.DeleteKubernetesServiceRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteKubernetesServiceMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Creates an Ingress. Annotations pass through untouched.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.CreateIngressResponse> createIngress(
        dev.kubegate.v1.CreateIngressRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateIngressMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns one Ingress. NOT_FOUND if absent.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.GetIngressResponse> getIngress(
        dev.kubegate.v1.GetIngressRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetIngressMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists Ingresses, filtered by label selector, one page at a time.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.ListIngressesResponse> listIngresses(
        dev.kubegate.v1.ListIngressesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListIngressesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes an Ingress. NOT_FOUND if absent.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.kubegate.v1.DeleteIngressResponse> deleteIngress(
        dev.kubegate.v1.DeleteIngressRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteIngressMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_KUBERNETES_SERVICE = 0;
  private static final int METHODID_GET_KUBERNETES_SERVICE = 1;
  private static final int METHODID_LIST_KUBERNETES_SERVICES = 2;
  private static final int METHODID_DELETE_KUBERNETES_SERVICE = 3;
  private static final int METHODID_CREATE_INGRESS = 4;
  private static final int METHODID_GET_INGRESS = 5;
  private static final int METHODID_LIST_INGRESSES = 6;
  private static final int METHODID_DELETE_INGRESS = 7;

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
        case METHODID_CREATE_KUBERNETES_SERVICE:
          serviceImpl.createKubernetesService((dev.kubegate.v1.CreateKubernetesServiceRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.CreateKubernetesServiceResponse>) responseObserver);
          break;
        case METHODID_GET_KUBERNETES_SERVICE:
          serviceImpl.getKubernetesService((dev.kubegate.v1.GetKubernetesServiceRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.GetKubernetesServiceResponse>) responseObserver);
          break;
        case METHODID_LIST_KUBERNETES_SERVICES:
          serviceImpl.listKubernetesServices((dev.kubegate.v1.ListKubernetesServicesRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.ListKubernetesServicesResponse>) responseObserver);
          break;
        case METHODID_DELETE_KUBERNETES_SERVICE:
          serviceImpl.deleteKubernetesService((dev.kubegate.v1.DeleteKubernetesServiceRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.DeleteKubernetesServiceResponse>) responseObserver);
          break;
        case METHODID_CREATE_INGRESS:
          serviceImpl.createIngress((dev.kubegate.v1.CreateIngressRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.CreateIngressResponse>) responseObserver);
          break;
        case METHODID_GET_INGRESS:
          serviceImpl.getIngress((dev.kubegate.v1.GetIngressRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.GetIngressResponse>) responseObserver);
          break;
        case METHODID_LIST_INGRESSES:
          serviceImpl.listIngresses((dev.kubegate.v1.ListIngressesRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.ListIngressesResponse>) responseObserver);
          break;
        case METHODID_DELETE_INGRESS:
          serviceImpl.deleteIngress((dev.kubegate.v1.DeleteIngressRequest) request,
              (io.grpc.stub.StreamObserver<dev.kubegate.v1.DeleteIngressResponse>) responseObserver);
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
          getCreateKubernetesServiceMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.CreateKubernetesServiceRequest,
              dev.kubegate.v1.CreateKubernetesServiceResponse>(
                service, METHODID_CREATE_KUBERNETES_SERVICE)))
        .addMethod(
          getGetKubernetesServiceMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.GetKubernetesServiceRequest,
              dev.kubegate.v1.GetKubernetesServiceResponse>(
                service, METHODID_GET_KUBERNETES_SERVICE)))
        .addMethod(
          getListKubernetesServicesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.ListKubernetesServicesRequest,
              dev.kubegate.v1.ListKubernetesServicesResponse>(
                service, METHODID_LIST_KUBERNETES_SERVICES)))
        .addMethod(
          getDeleteKubernetesServiceMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.DeleteKubernetesServiceRequest,
              dev.kubegate.v1.DeleteKubernetesServiceResponse>(
                service, METHODID_DELETE_KUBERNETES_SERVICE)))
        .addMethod(
          getCreateIngressMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.CreateIngressRequest,
              dev.kubegate.v1.CreateIngressResponse>(
                service, METHODID_CREATE_INGRESS)))
        .addMethod(
          getGetIngressMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.GetIngressRequest,
              dev.kubegate.v1.GetIngressResponse>(
                service, METHODID_GET_INGRESS)))
        .addMethod(
          getListIngressesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.ListIngressesRequest,
              dev.kubegate.v1.ListIngressesResponse>(
                service, METHODID_LIST_INGRESSES)))
        .addMethod(
          getDeleteIngressMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.kubegate.v1.DeleteIngressRequest,
              dev.kubegate.v1.DeleteIngressResponse>(
                service, METHODID_DELETE_INGRESS)))
        .build();
  }

  private static abstract class NetworkServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    NetworkServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.kubegate.v1.NetworkProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("NetworkService");
    }
  }

  private static final class NetworkServiceFileDescriptorSupplier
      extends NetworkServiceBaseDescriptorSupplier {
    NetworkServiceFileDescriptorSupplier() {}
  }

  private static final class NetworkServiceMethodDescriptorSupplier
      extends NetworkServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    NetworkServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (NetworkServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new NetworkServiceFileDescriptorSupplier())
              .addMethod(getCreateKubernetesServiceMethod())
              .addMethod(getGetKubernetesServiceMethod())
              .addMethod(getListKubernetesServicesMethod())
              .addMethod(getDeleteKubernetesServiceMethod())
              .addMethod(getCreateIngressMethod())
              .addMethod(getGetIngressMethod())
              .addMethod(getListIngressesMethod())
              .addMethod(getDeleteIngressMethod())
              .build();
        }
      }
    }
    return result;
  }
}
