//! `kubegate.v1.NetworkService`: Kubernetes Services and Ingresses.

use kubegate_proto::v1::network_service_server::NetworkService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status};

use super::not_built;
use crate::state::State;

/// The NetworkService handlers.
#[derive(Clone)]
pub struct NetworkApi {
    #[allow(dead_code)]
    state: State,
}

impl NetworkApi {
    /// Handlers over the shared service state.
    pub fn new(state: State) -> Self {
        Self { state }
    }
}

const SERVICES: &str = "Kubernetes Service management";
const INGRESSES: &str = "Ingress management";

#[tonic::async_trait]
impl NetworkService for NetworkApi {
    async fn create_kubernetes_service(
        &self,
        _: Request<CreateKubernetesServiceRequest>,
    ) -> Result<Response<CreateKubernetesServiceResponse>, Status> {
        not_built("CreateKubernetesService", SERVICES)
    }

    async fn get_kubernetes_service(
        &self,
        _: Request<GetKubernetesServiceRequest>,
    ) -> Result<Response<GetKubernetesServiceResponse>, Status> {
        not_built("GetKubernetesService", SERVICES)
    }

    async fn list_kubernetes_services(
        &self,
        _: Request<ListKubernetesServicesRequest>,
    ) -> Result<Response<ListKubernetesServicesResponse>, Status> {
        not_built("ListKubernetesServices", SERVICES)
    }

    async fn delete_kubernetes_service(
        &self,
        _: Request<DeleteKubernetesServiceRequest>,
    ) -> Result<Response<DeleteKubernetesServiceResponse>, Status> {
        not_built("DeleteKubernetesService", SERVICES)
    }

    async fn create_ingress(
        &self,
        _: Request<CreateIngressRequest>,
    ) -> Result<Response<CreateIngressResponse>, Status> {
        not_built("CreateIngress", INGRESSES)
    }

    async fn get_ingress(
        &self,
        _: Request<GetIngressRequest>,
    ) -> Result<Response<GetIngressResponse>, Status> {
        not_built("GetIngress", INGRESSES)
    }

    async fn list_ingresses(
        &self,
        _: Request<ListIngressesRequest>,
    ) -> Result<Response<ListIngressesResponse>, Status> {
        not_built("ListIngresses", INGRESSES)
    }

    async fn delete_ingress(
        &self,
        _: Request<DeleteIngressRequest>,
    ) -> Result<Response<DeleteIngressResponse>, Status> {
        not_built("DeleteIngress", INGRESSES)
    }
}
