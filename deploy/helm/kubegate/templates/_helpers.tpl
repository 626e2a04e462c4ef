{{/* kubegate's own namespace: namespaces.system, or the release's. */}}
{{- define "kubegate.namespace" -}}
{{- .Values.namespaces.system | default .Release.Namespace -}}
{{- end -}}

{{/* The selector label: the same as deploy/kubernetes, so a chart can take over a kustomize install. */}}
{{- define "kubegate.selector" -}}
app.kubernetes.io/name: kubegate
{{- end -}}

{{/* Labels on every object: the selector label plus Helm's own (never on the pod template's selector). */}}
{{- define "kubegate.labels" -}}
{{ include "kubegate.selector" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kubegate.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The names a request may use for the Service, then the configured extra hosts and the ingress host. */}}
{{- define "kubegate.allowedHosts" -}}
{{- $ns := include "kubegate.namespace" . -}}
{{- $hosts := list (printf "kubegate.%s.svc" $ns) (printf "kubegate.%s.svc.cluster.local" $ns) (printf "kubegate.%s" $ns) "kubegate" -}}
{{- $hosts = concat $hosts .Values.allowedHosts -}}
{{- if .Values.ingress.enabled -}}{{- $hosts = append $hosts .Values.ingress.host -}}{{- end -}}
{{- join "," (uniq $hosts) -}}
{{- end -}}

{{- define "kubegate.scheme" -}}
{{- if .Values.tls.enabled -}}https{{- else -}}http{{- end -}}
{{- end -}}
