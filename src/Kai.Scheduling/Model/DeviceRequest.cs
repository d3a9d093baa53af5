namespace Kai.Scheduling.Model;

/// <summary>
/// One request of a DRA claim, as the cluster adapter resolved its device class: <see cref="Count"/> devices (or,
/// with <see cref="All"/>, every matching device the node reaches, at least one) that match the class — of
/// <see cref="Driver"/> when the class or request selects one, of a GPU driver when the class is a GPU class.
/// </summary>
/// <param name="Name">The request's name (the allocation names it per device).</param>
/// <param name="DeviceClass">The device class, for reasons.</param>
/// <param name="Count">Devices needed (1 for <see cref="All"/>: the least it takes).</param>
public sealed record DeviceRequest(string Name, string DeviceClass, int Count)
{
    /// <summary>Every matching device is allocated (allocationMode All); each must be free.</summary>
    public bool All { get; init; }

    /// <summary>Only devices of this driver (a <c>device.driver == "…"</c> selector), or null for any.</summary>
    public string? Driver { get; init; }

    /// <summary>Only GPU devices (a GPU device class, so its devices count as the node's GPUs).</summary>
    public bool GpuOnly { get; init; }

    public bool Matches(in DraDevice device) =>
        (Driver is null || string.Equals(device.Driver, Driver, StringComparison.Ordinal)) && (!GpuOnly || device.IsGpu);
}

/// <summary>A device a claim holds, and the request of the claim it serves.</summary>
public sealed record ClaimDevice(string Request, DraDevice Device);
