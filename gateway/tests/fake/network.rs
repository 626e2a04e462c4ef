//! The fake's Services and Ingresses.

use kubegate_proto::convert;
use kubegate_proto::v1 as pb;
use tonic::{Request as Call, Response as Answer};

use super::{Fake, Reply, steered};

fn meta(name: &str) -> pb::ObjectMeta {
    pb::ObjectMeta {
        name: name.to_string(),
        namespace: "ns".into(),
        annotations: [("z".to_string(), "last".to_string()), ("a".to_string(), "first".to_string())].into(),
        ..Default::default()
    }
}

/// A NodePort Service with a named UDP target and a numbered default-protocol one.
pub fn service(name: &str) -> pb::KubernetesService {
    pb::KubernetesService {
        metadata: Some(meta(name)),
        selector: [("b".to_string(), "2".to_string()), ("a".to_string(), "1".to_string())].into(),
        ports: vec![
            pb::ServicePort {
                port: 53,
                target_port_name: "dns".into(),
                protocol: pb::Protocol::Udp as i32,
                ..Default::default()
            },
            pb::ServicePort { port: 443, target_port: 8443, ..Default::default() },
        ],
        r#type: pb::KubernetesServiceType::NodePort as i32,
        cluster_ip: "10.96.0.10".into(),
        ..Default::default()
    }
}

/// An Ingress with one host and one rule without a host.
pub fn ingress(name: &str) -> pb::Ingress {
    pb::Ingress {
        metadata: Some(meta(name)),
        rules: vec![
            pb::IngressRule { host: "app.example".into(), ..Default::default() },
            pb::IngressRule::default(),
        ],
        ingress_class_name: "nginx".into(),
        addresses: vec!["192.0.2.1".into()],
        ..Default::default()
    }
}

#[tonic::async_trait]
impl pb::network_service_server::NetworkService for Fake {
    async fn create_kubernetes_service(
        &self,
        call: Call<pb::CreateKubernetesServiceRequest>,
    ) -> Reply<pb::CreateKubernetesServiceResponse> {
        let spec = call.into_inner().service.unwrap_or_default();
        steered(&spec.name)?;
        // The name tells the test which type and protocols arrived.
        let protocols: Vec<&str> = spec.ports.iter().map(|p| convert::protocol_name(p.protocol())).collect();
        let name =
            format!("{}:{}:{}", spec.name, convert::service_type_name(spec.r#type()), protocols.join(","));
        Ok(Answer::new(pb::CreateKubernetesServiceResponse { service: Some(service(&name)) }))
    }
    async fn get_kubernetes_service(
        &self,
        call: Call<pb::GetKubernetesServiceRequest>,
    ) -> Reply<pb::GetKubernetesServiceResponse> {
        let name = call.into_inner().name;
        steered(&name)?;
        let object_json = format!("{{\"kind\":\"Service\",\"metadata\":{{\"name\":\"{name}\"}}}}");
        Ok(Answer::new(pb::GetKubernetesServiceResponse { service: Some(service(&name)), object_json }))
    }
    async fn list_kubernetes_services(
        &self,
        call: Call<pb::ListKubernetesServicesRequest>,
    ) -> Reply<pb::ListKubernetesServicesResponse> {
        steered(&call.into_inner().namespace)?;
        Ok(Answer::new(pb::ListKubernetesServicesResponse {
            services: vec![service("web")],
            ..Default::default()
        }))
    }
    async fn delete_kubernetes_service(
        &self,
        call: Call<pb::DeleteKubernetesServiceRequest>,
    ) -> Reply<pb::DeleteKubernetesServiceResponse> {
        steered(&call.into_inner().name)?;
        Ok(Answer::new(pb::DeleteKubernetesServiceResponse {}))
    }
    async fn create_ingress(&self, call: Call<pb::CreateIngressRequest>) -> Reply<pb::CreateIngressResponse> {
        let spec = call.into_inner().ingress.unwrap_or_default();
        steered(&spec.name)?;
        // The name tells the test which path types arrived.
        let types: Vec<&str> = spec
            .rules
            .iter()
            .flat_map(|r| r.paths.iter().map(|p| convert::path_type_name(p.path_type())))
            .collect();
        let name = format!("{}:{}", spec.name, types.join(","));
        Ok(Answer::new(pb::CreateIngressResponse { ingress: Some(ingress(&name)) }))
    }
    async fn get_ingress(&self, call: Call<pb::GetIngressRequest>) -> Reply<pb::GetIngressResponse> {
        let name = call.into_inner().name;
        steered(&name)?;
        let object_json = format!("{{\"kind\":\"Ingress\",\"metadata\":{{\"name\":\"{name}\"}}}}");
        Ok(Answer::new(pb::GetIngressResponse { ingress: Some(ingress(&name)), object_json }))
    }
    async fn list_ingresses(&self, call: Call<pb::ListIngressesRequest>) -> Reply<pb::ListIngressesResponse> {
        steered(&call.into_inner().namespace)?;
        Ok(Answer::new(pb::ListIngressesResponse { ingresses: vec![ingress("web")], ..Default::default() }))
    }
    async fn delete_ingress(&self, call: Call<pb::DeleteIngressRequest>) -> Reply<pb::DeleteIngressResponse> {
        steered(&call.into_inner().name)?;
        Ok(Answer::new(pb::DeleteIngressResponse {}))
    }
}
