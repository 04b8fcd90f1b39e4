{{/* The name of every object: the release name, or release-chart when they differ. */}}
{{- define "triggergate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "triggergate.labels" -}}
{{ include "triggergate.selectorLabels" . }}
app.kubernetes.io/part-of: triggergate
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The Deployment's selector. */}}
{{- define "triggergate.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The serving certificate's Secret. */}}
{{- define "triggergate.tlsSecret" -}}
{{- if eq .Values.certificates.mode "existingSecret" -}}
{{- required "certificates.existingSecret.name is required with certificates.mode=existingSecret" .Values.certificates.existingSecret.name -}}
{{- else -}}
{{- include "triggergate.fullname" . }}-tls
{{- end -}}
{{- end -}}

{{/* The identity triggergate writes as. */}}
{{- define "triggergate.controllerUsername" -}}
{{- .Values.controllerUsername | default (printf "system:serviceaccount:%s:%s" .Release.Namespace (include "triggergate.fullname" .)) -}}
{{- end -}}

{{/* The namespaces both webhooks leave out. */}}
{{- define "triggergate.namespaceSelector" -}}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values: {{ concat (list "kube-system" .Release.Namespace) .Values.webhook.excludeNamespaces | uniq | toJson }}
{{- end -}}
