{{/* Names and labels shared by every template. */}}

{{- define "kai.labels" -}}
app.kubernetes.io/name: kai-scheduler
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kai.image" -}}
{{- $tag := .Values.global.image.tag | default .Chart.AppVersion -}}
{{- printf "%s/%s:%s" .Values.global.registry .Values.global.image.repository $tag -}}
{{- end -}}

{{/*
The components: name (as KAI names its Deployment, ServiceAccount and ClusterRole), the values key, and the
name kai run takes in --components. The node-scale-adjuster runs only with global.clusterAutoscaling, as KAI's.
*/}}
{{- define "kai.components" -}}
- {name: kai-scheduler, key: scheduler, component: scheduler, app: scheduler}
- {name: binder, key: binder, component: binder, app: binder}
- {name: pod-grouper, key: podGrouper, component: podgrouper, app: pod-grouper}
- {name: podgroup-controller, key: podgroupController, component: podgroupcontroller, app: podgroup-controller}
- {name: queue-controller, key: queueController, component: queuecontroller, app: queue-controller}
- {name: admission, key: admission, component: admission, app: admission}
{{- if .Values.global.clusterAutoscaling }}
- {name: node-scale-adjuster, key: nodeScaleAdjuster, component: nodescaleadjuster, app: node-scale-adjuster}
{{- end }}
{{- end -}}
