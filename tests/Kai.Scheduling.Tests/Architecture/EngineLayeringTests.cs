using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Kai.Scheduling.Tests.Architecture;

/// <summary>
/// The engine knows nothing of Kubernetes client types, YAML, files, the network, the console or the clock:
/// checked on the compiled assembly's references, type references and member references.
/// </summary>
public sealed class EngineLayeringTests
{
    private static readonly string EnginePath = typeof(SchedulingEngine).Assembly.Location;

    [Fact]
    public void EngineAssembly_ReferencesNoKubernetesYamlOrIoAssembly()
    {
        var references = typeof(SchedulingEngine).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var forbidden = references.Where(name =>
            name.StartsWith("KubernetesClient", StringComparison.Ordinal)
            || name.StartsWith("YamlDotNet", StringComparison.Ordinal)
            || name.StartsWith("System.Net", StringComparison.Ordinal)
            || name.StartsWith("System.IO", StringComparison.Ordinal)
            || name.StartsWith("System.Console", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Extensions", StringComparison.Ordinal)
            || name.StartsWith("Kai.Cluster", StringComparison.Ordinal)
            || name.StartsWith("Kai.Controllers", StringComparison.Ordinal)).ToList();

        Assert.Empty(forbidden);
    }

    [Fact]
    public void EngineAssembly_UsesNoFileNetworkConsoleOrClockTypes()
    {
        using var stream = File.OpenRead(EnginePath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        var typeReferences = metadata.TypeReferences
            .Select(handle => metadata.GetTypeReference(handle))
            .Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}")
            .ToList();
        var forbiddenTypes = typeReferences.Where(name =>
            name.StartsWith("System.IO.", StringComparison.Ordinal)
            || name.StartsWith("System.Net.", StringComparison.Ordinal)
            || name.StartsWith("k8s.", StringComparison.Ordinal)
            || name.StartsWith("YamlDotNet.", StringComparison.Ordinal)
            || name is "System.Console" or "System.Diagnostics.Stopwatch" or "System.TimeProvider" or "System.Threading.Timer").ToList();

        var clockMembers = metadata.MemberReferences
            .Select(handle => metadata.GetMemberReference(handle))
            .Where(m => m.Parent.Kind == HandleKind.TypeReference)
            .Select(m => (Type: metadata.GetTypeReference((TypeReferenceHandle)m.Parent), Name: metadata.GetString(m.Name)))
            .Select(m => $"{metadata.GetString(m.Type.Namespace)}.{metadata.GetString(m.Type.Name)}::{m.Name}")
            .Where(name => name is "System.DateTime::get_Now" or "System.DateTime::get_UtcNow" or "System.DateTimeOffset::get_Now" or "System.DateTimeOffset::get_UtcNow"
                or "System.Random::get_Shared" or "System.Guid::NewGuid" or "System.Environment::GetEnvironmentVariable"
                or "System.Environment::get_TickCount" or "System.Environment::get_TickCount64")
            .ToList();

        Assert.Empty(forbiddenTypes);
        Assert.Empty(clockMembers);
    }

    [Fact]
    public void EngineAssembly_IsReferencedByTheEdgeNotTheOtherWayRound()
    {
        var engine = typeof(SchedulingEngine).Assembly.GetName().Name;

        var clusterAssembly = Assembly.Load("Kai.Scheduling");

        Assert.Equal(engine, clusterAssembly.GetName().Name);
        Assert.DoesNotContain(clusterAssembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Kai.", StringComparison.Ordinal));
    }
}
