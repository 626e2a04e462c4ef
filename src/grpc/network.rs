//! `kubegate.v1.NetworkService`: Kubernetes Services and Ingresses.

use super::status::Grpc as _;
use kubegate_proto::v1::network_service_server::NetworkService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status};

use kubegate_core::network;
use kubegate_core::state::State;

/// The NetworkService handlers.
#[derive(Clone)]
pub struct NetworkApi {
    state: State,
}

impl NetworkApi {
    /// Handlers over the shared service state.
    pub fn new(state: State) -> Self {
        Self { state }
    }
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, Status> {
    value.ok_or_else(|| super::status::status(kubegate_core::Error::invalid(field, "is required")))
}

#[tonic::async_trait]
impl NetworkService for NetworkApi {
    #[tracing::instrument(skip_all)]
    async fn create_kubernetes_service(
        &self,
        request: Request<CreateKubernetesServiceRequest>,
    ) -> Result<Response<CreateKubernetesServiceResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let spec = required(request.into_inner().service, "service")?;
        let (namespace, name) = (spec.namespace.clone(), spec.name.clone());
        let service = network::create_service(&self.state, spec).await.grpc();
        who.call("/kubegate.v1.NetworkService/CreateKubernetesService", &namespace, &name, &service);
        Ok(Response::new(CreateKubernetesServiceResponse { service: Some(service?) }))
    }

    #[tracing::instrument(skip_all, fields(service = %request.get_ref().name))]
    async fn get_kubernetes_service(
        &self,
        request: Request<GetKubernetesServiceRequest>,
    ) -> Result<Response<GetKubernetesServiceResponse>, Status> {
        let r = request.into_inner();
        let (service, object_json) = network::get_service(&self.state, &r.namespace, &r.name).await.grpc()?;
        Ok(Response::new(GetKubernetesServiceResponse { service: Some(service), object_json }))
    }

    #[tracing::instrument(skip_all)]
    async fn list_kubernetes_services(
        &self,
        request: Request<ListKubernetesServicesRequest>,
    ) -> Result<Response<ListKubernetesServicesResponse>, Status> {
        Ok(Response::new(network::list_services(&self.state, request.into_inner()).await.grpc()?))
    }

    #[tracing::instrument(skip_all, fields(service = %request.get_ref().name))]
    async fn delete_kubernetes_service(
        &self,
        request: Request<DeleteKubernetesServiceRequest>,
    ) -> Result<Response<DeleteKubernetesServiceResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let deleted = network::delete_service(&self.state, &r.namespace, &r.name).await.grpc();
        who.call("/kubegate.v1.NetworkService/DeleteKubernetesService", &r.namespace, &r.name, &deleted);
        deleted?;
        Ok(Response::new(DeleteKubernetesServiceResponse {}))
    }

    #[tracing::instrument(skip_all)]
    async fn create_ingress(
        &self,
        request: Request<CreateIngressRequest>,
    ) -> Result<Response<CreateIngressResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let spec = required(request.into_inner().ingress, "ingress")?;
        let (namespace, name) = (spec.namespace.clone(), spec.name.clone());
        let ingress = network::create_ingress(&self.state, spec).await.grpc();
        who.call("/kubegate.v1.NetworkService/CreateIngress", &namespace, &name, &ingress);
        Ok(Response::new(CreateIngressResponse { ingress: Some(ingress?) }))
    }

    #[tracing::instrument(skip_all, fields(ingress = %request.get_ref().name))]
    async fn get_ingress(
        &self,
        request: Request<GetIngressRequest>,
    ) -> Result<Response<GetIngressResponse>, Status> {
        let r = request.into_inner();
        let (ingress, object_json) = network::get_ingress(&self.state, &r.namespace, &r.name).await.grpc()?;
        Ok(Response::new(GetIngressResponse { ingress: Some(ingress), object_json }))
    }

    #[tracing::instrument(skip_all)]
    async fn list_ingresses(
        &self,
        request: Request<ListIngressesRequest>,
    ) -> Result<Response<ListIngressesResponse>, Status> {
        Ok(Response::new(network::list_ingresses(&self.state, request.into_inner()).await.grpc()?))
    }

    #[tracing::instrument(skip_all, fields(ingress = %request.get_ref().name))]
    async fn delete_ingress(
        &self,
        request: Request<DeleteIngressRequest>,
    ) -> Result<Response<DeleteIngressResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let deleted = network::delete_ingress(&self.state, &r.namespace, &r.name).await.grpc();
        who.call("/kubegate.v1.NetworkService/DeleteIngress", &r.namespace, &r.name, &deleted);
        deleted?;
        Ok(Response::new(DeleteIngressResponse {}))
    }
}
