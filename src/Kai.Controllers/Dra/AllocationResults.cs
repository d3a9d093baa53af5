using k8s.Models;
using Kai.Scheduling.Decisions;

namespace Kai.Controllers.Dra;

/// <summary>The <c>resource.k8s.io/v1</c> allocation a claim gets from the devices the scheduling session gave it.</summary>
internal static class AllocationResults
{
    public static V1AllocationResult Of(ClaimGrant grant) => new()
    {
        Devices = new V1DeviceAllocationResult
        {
            Results = [.. grant.Devices.Select(d => new V1DeviceRequestAllocationResult { Request = d.Request, Driver = d.Device.Driver, Pool = d.Device.Pool, Device = d.Device.Name })],
        },
        NodeSelector = new V1NodeSelector
        {
            NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [grant.Node] }] }],
        },
    };
}
