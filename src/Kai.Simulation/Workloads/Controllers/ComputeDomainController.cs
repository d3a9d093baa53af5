using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// NVIDIA's ComputeDomain controller and IMEX kubelet plugin, for a simulation. For each ComputeDomain it creates the
/// ResourceClaimTemplate named by <c>spec.channel.resourceClaimTemplate.name</c> in the domain's namespace (owned by
/// the domain; one request for a channel of device class <see cref="ChannelDeviceClass"/>), the DeviceClass if absent
/// (selecting driver <see cref="Driver"/>), and on every GPU node a ResourceSlice of that driver with one IMEX
/// channel device, <c>channel-0</c> — so the pods claiming from the template are placed by the DRA device books like
/// any claim. The domain's <c>status.status</c> becomes <c>Ready</c>.
/// </summary>
/// <remarks>
/// Simplified: one channel per node, so the channel of a node is held by one domain's claim at a time (the real
/// driver hands out a channel per domain); <c>spec.numNodes</c> is not enforced; slices are published for the GPU
/// nodes (allocatable <c>nvidia.com/gpu</c> above zero) present when a domain is reconciled.
/// </remarks>
internal sealed class ComputeDomainController : IWorkloadController
{
    public const string Driver = "compute-domain.nvidia.com";
    public const string ChannelDeviceClass = "compute-domain-default-channel.nvidia.com";
    public const string ChannelDevice = "channel-0";

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.ComputeDomain];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var domain = (GenericObject)owner;
        if (domain.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var view = ObjectView.Of(domain, context.Cluster.Kinds);
        var templateName = view.String("spec", "channel", "resourceClaimTemplate", "name");
        if (string.IsNullOrEmpty(templateName))
        {
            await context.EventAsync(domain, EventType.Warning, "InvalidSpec", $"ComputeDomain {view.Namespace}/{view.Name}: spec.channel.resourceClaimTemplate.name is missing; it names the ResourceClaimTemplate its pods claim an IMEX channel from, e.g. imex-channel-0").ConfigureAwait(false);
            return;
        }

        await EnsureDeviceClassAsync(context).ConfigureAwait(false);
        await EnsureTemplateAsync(domain, templateName, context).ConfigureAwait(false);
        await EnsureChannelSlicesAsync(context).ConfigureAwait(false);

        var status = WorkloadContext.StatusOf(domain);
        status["status"] = "Ready";
        await context.WriteStatusAsync(domain, status).ConfigureAwait(false);
    }

    private static async ValueTask EnsureDeviceClassAsync(WorkloadContext context)
    {
        if (await context.Cluster.GetAsync<V1DeviceClass>(null, ChannelDeviceClass, context.CancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        await context.CreateAsync(new V1DeviceClass
        {
            ApiVersion = "resource.k8s.io/v1",
            Kind = "DeviceClass",
            Metadata = new V1ObjectMeta { Name = ChannelDeviceClass },
            Spec = new V1DeviceClassSpec { Selectors = [new V1DeviceSelector { Cel = new V1CELDeviceSelector { Expression = $"device.driver == \"{Driver}\"" } }] },
        }).ConfigureAwait(false);
    }

    private static async ValueTask EnsureTemplateAsync(GenericObject domain, string name, WorkloadContext context)
    {
        var ns = domain.Metadata.NamespaceProperty ?? "default";
        if (await context.Cluster.GetAsync<V1ResourceClaimTemplate>(ns, name, context.CancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        await context.CreateAsync(new V1ResourceClaimTemplate
        {
            ApiVersion = "resource.k8s.io/v1",
            Kind = "ResourceClaimTemplate",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                OwnerReferences = [PodTemplates.ControllerReference(domain, WorkloadKinds.ComputeDomain)],
            },
            Spec = new V1ResourceClaimTemplateSpec
            {
                Spec = new V1ResourceClaimSpec
                {
                    Devices = new V1DeviceClaim
                    {
                        Requests = [new V1DeviceRequest { Name = "channel", Exactly = new V1ExactDeviceRequest { DeviceClassName = ChannelDeviceClass, AllocationMode = "ExactCount", Count = 1 } }],
                    },
                },
            },
        }).ConfigureAwait(false);
    }

    // What the IMEX kubelet plugin publishes on each GPU node: one channel device.
    private static async ValueTask EnsureChannelSlicesAsync(WorkloadContext context)
    {
        var nodes = (await context.Cluster.ListAsync<V1Node>(context.CancellationToken).ConfigureAwait(false)).Items;
        foreach (var node in nodes.Where(HasGpus))
        {
            var name = SliceName(node.Metadata.Name);
            if (await context.Cluster.GetAsync<V1ResourceSlice>(null, name, context.CancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            await context.CreateAsync(new V1ResourceSlice
            {
                ApiVersion = "resource.k8s.io/v1",
                Kind = "ResourceSlice",
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1ResourceSliceSpec
                {
                    Driver = Driver,
                    NodeName = node.Metadata.Name,
                    Pool = new V1ResourcePool { Name = node.Metadata.Name, Generation = 0, ResourceSliceCount = 1 },
                    Devices =
                    [
                        new V1Device
                        {
                            Name = ChannelDevice,
                            Attributes = new Dictionary<string, V1DeviceAttribute>(StringComparer.Ordinal)
                            {
                                ["type"] = new V1DeviceAttribute { StringValue = "channel" },
                                ["id"] = new V1DeviceAttribute { IntValue = 0 },
                            },
                        },
                    ],
                },
            }).ConfigureAwait(false);
        }
    }

    /// <summary>The ResourceSlice the IMEX driver publishes for <paramref name="node"/>.</summary>
    public static string SliceName(string node) => $"{node}-{Driver}";

    private static bool HasGpus(V1Node node) =>
        node.Status?.Allocatable?.TryGetValue("nvidia.com/gpu", out var gpus) == true && gpus.ToDecimal() > 0;
}
