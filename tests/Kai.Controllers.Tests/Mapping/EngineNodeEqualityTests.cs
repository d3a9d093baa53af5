using System.Collections.Frozen;
using System.Reflection;
using Kai.Controllers.Mapping;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Tests.Mapping;

/// <summary>
/// The cache keeps a node's mapped object when a new mapping is <see cref="EngineNodeEquality.Same"/>: a property the
/// comparison missed would keep stale facts in the engine's model. Each settable property of <see cref="Node"/> is
/// changed in turn, so that one added later without being compared fails here.
/// </summary>
public sealed class EngineNodeEqualityTests
{
    private static Node Base() => new()
    {
        Name = "n1",
        Allocatable = ResourceVector.Zero.WithGpu(8000),
        Labels = new Dictionary<string, string> { ["a"] = "1" }.ToFrozenDictionary(StringComparer.Ordinal),
        Taints = [new Taint("k", "v", TaintEffect.NoSchedule)],
        GpuCount = 8,
        MigProfiles = [new MigProfile(0, 1)],
        DraDevices = [new DraDevice("d", "p", "x")],
    };

    [Fact]
    public void Same_WhenEveryPropertyIsEqualButCollectionsAreOtherInstances_IsTrue()
    {
        var a = Base();
        var b = Base();

        Assert.True(EngineNodeEquality.Same(a, b));
    }

    public static TheoryData<string> Properties() =>
        [.. typeof(Node).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Properties))]
    public void Same_WhenOnePropertyDiffers_IsFalse(string property)
    {
        var info = typeof(Node).GetProperty(property)!;
        var changed = Base();
        info.SetValue(changed, Other(info.PropertyType, info.GetValue(changed)));

        Assert.False(EngineNodeEquality.Same(Base(), changed), $"a change of Node.{property} went unnoticed");
    }

    /// <summary>A value of <paramref name="type"/> other than <paramref name="current"/>.</summary>
    private static object Other(Type type, object? current) => type switch
    {
        _ when type == typeof(string) => "other",
        _ when type == typeof(bool) => !(bool)current!,
        _ when type == typeof(long) => (long)current! + 1,
        _ when type == typeof(ResourceVector) => ((ResourceVector)current!).WithGpu(1000),
        _ when type == typeof(MigStrategy) => MigStrategy.Mixed,
        _ when type == typeof(IReadOnlyDictionary<string, string>) => new Dictionary<string, string> { ["a"] = "2" },
        _ when type == typeof(IReadOnlyList<Taint>) => new List<Taint> { new("k", "v", TaintEffect.NoExecute) },
        _ when type == typeof(IReadOnlyList<MigProfile>) => new List<MigProfile> { new(0, 2) },
        _ when type == typeof(IReadOnlyList<DraDevice>) => new List<DraDevice> { new("d", "p", "y") },
        _ => throw new InvalidOperationException($"Node has a property of type {type}: teach this test (and EngineNodeEquality) to compare it"),
    };
}
