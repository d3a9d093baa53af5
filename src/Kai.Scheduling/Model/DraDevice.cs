namespace Kai.Scheduling.Model;

/// <summary>
/// One device a ResourceSlice publishes for Dynamic Resource Allocation, named as an allocation names it: driver,
/// pool and device. <see cref="IsGpu"/> is the cluster adapter's verdict (KAI: the driver's name contains "gpu"); GPU
/// devices are also whole GPUs of their node.
/// </summary>
public readonly record struct DraDevice(string Driver, string Pool, string Name, bool IsGpu = false)
{
    public override string ToString() => $"{Driver}/{Pool}/{Name}";
}
