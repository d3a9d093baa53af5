namespace Kai.Cluster.Tests.Manifests;

/// <summary>KAI CRD objects that use every field, written with the exact wire names of KAI's CRDs.</summary>
internal static class CrdYaml
{
    public const string Queue = """
        apiVersion: scheduling.run.ai/v2
        kind: Queue
        metadata:
          name: team-a
          labels:
            kai.scheduler/node-pool: pool-1
        spec:
          displayName: Team A
          parentQueue: department-1
          priority: 150
          preemptMinRuntime: 30s
          reclaimMinRuntime: 1h30m
          resources:
            cpu:
              quota: 1000
              overQuotaWeight: 1
              limit: -1
            gpu:
              quota: 0.5
              overQuotaWeight: 2
              limit: 4
            memory:
              quota: 2000
              overQuotaWeight: 0
              limit: 4000
        status:
          childQueues:
          - team-a-1
          allocated:
            cpu: 500m
            nvidia.com/gpu: "1"
          allocatedNonPreemptible:
            memory: 1Gi
          requested:
            cpu: "2"
          conditions:
          - type: Ready
            status: "True"
            lastProbeTime: "2025-01-02T03:04:05Z"
            lastTransitionTime: "2025-01-02T03:04:06Z"
            reason: Reconciled
            message: all good
        """;

    public const string PodGroup = """
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata:
          name: pg-trainer
          namespace: team-a
        spec:
          minMember: 3
          queue: team-a
          priorityClassName: train
          preemptibility: non-preemptible
          markUnschedulable: false
          schedulingBackoff: 1
          topologyConstraint:
            topology: cluster-topology
            requiredTopologyLevel: zone
            preferredTopologyLevel: rack
          subGroups:
          - name: master
            minMember: 1
          - name: workers
            minMember: 2
            parent: master
            topologyConstraint:
              topology: cluster-topology
              preferredTopologyLevel: rack
          parallelism: 3
          completions: 3
          backoffLimit: 2
        status:
          phase: Running
          conditions:
          - type: Scheduled
            status: "True"
            transitionID: "4"
            lastTransitionTime: "2025-01-02T03:04:05Z"
            reason: Done
            message: scheduled
          running: 3
          succeeded: 1
          failed: 2
          pending: 4
          resourcesStatus:
            allocated:
              nvidia.com/gpu: "3"
            allocatedNonPreemptible:
              nvidia.com/gpu: "3"
            requested:
              cpu: 1500m
          schedulingConditions:
          - type: UnschedulableOnNodePool
            nodePool: default
            reason: Unschedulable
            message: over limit
            reasons:
            - reason: OverLimit
              message: team-a quota has reached the allowable limit of GPUs
              details:
                queueDetails:
                  name: team-a
                  queueRequestedResources:
                    nvidia.com/gpu: "5"
                  queueDeservedResources:
                    nvidia.com/gpu: "2"
                  queueAllocatedResources:
                    nvidia.com/gpu: "4"
                  queueAllocatedNonPreemptibleResources:
                    nvidia.com/gpu: "1"
                  queueResourceLimits:
                    nvidia.com/gpu: "4"
                  podGroupRequestedResources:
                    nvidia.com/gpu: "3"
                  podGroupRequestedNonPreemptibleResources:
                    nvidia.com/gpu: "3"
            transitionID: "7"
            lastTransitionTime: "2025-01-02T03:04:07Z"
            status: "True"
        """;

    public const string BindRequest = """
        apiVersion: scheduling.run.ai/v1alpha2
        kind: BindRequest
        metadata:
          name: trainer-0
          namespace: team-a
          labels:
            selected-node: node-1
        spec:
          podName: trainer-0
          selectedNode: node-1
          receivedResourceType: Fraction
          receivedGPU:
            count: 1
            portion: "0.50"
          selectedGPUGroups:
          - 8f3c0a6e-group
          resourceClaimAllocations:
          - name: gpu-claim
            allocation:
              devices:
                results:
                - request: gpu
                  driver: gpu.nvidia.com
                  pool: node-1
                  device: gpu-0
                  shareID: share-1
              nodeSelector:
                nodeSelectorTerms:
                - matchFields:
                  - key: metadata.name
                    operator: In
                    values:
                    - node-1
          backoffLimit: 3
        status:
          phase: Failed
          reason: node is gone
          failedAttempts: 2
        """;

    public const string Topology = """
        apiVersion: kai.scheduler/v1alpha1
        kind: Topology
        metadata:
          name: cluster-topology
        spec:
          levels:
          - nodeLabel: topology.kubernetes.io/zone
          - nodeLabel: cloud.example.com/rack
          - nodeLabel: kubernetes.io/hostname
        """;
}
