using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;

namespace Kai.Scheduling.Plugins.Tests.Architecture;

/// <summary>
/// KAI's plugins sit on the framework and nothing else: the plugins assembly references the engine, the engine
/// never references the plugins, and the engine opens its internals to test assemblies only — so a KAI plugin
/// uses the same public contracts a host's plugin would. Checked on the compiled assemblies' metadata.
/// </summary>
public sealed class PluginLayeringTests
{
    private static readonly Assembly Plugins = typeof(KaiPlugins).Assembly;
    private static readonly Assembly Framework = typeof(SchedulingEngine).Assembly;

    [Fact]
    public void PluginsAssembly_ReferencesTheFrameworkAndNoOtherProjectOrIoAssembly()
    {
        var references = Plugins.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Kai.Scheduling", references);
        Assert.DoesNotContain(references, name =>
            (name.StartsWith("Kai.", StringComparison.Ordinal) && name != "Kai.Scheduling")
            || name.StartsWith("KubernetesClient", StringComparison.Ordinal)
            || name.StartsWith("YamlDotNet", StringComparison.Ordinal)
            || name.StartsWith("System.Net", StringComparison.Ordinal)
            || name.StartsWith("System.IO", StringComparison.Ordinal)
            || name.StartsWith("System.Console", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Extensions", StringComparison.Ordinal));
    }

    [Fact]
    public void FrameworkAssembly_NeverReferencesThePlugins()
    {
        var references = Framework.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Kai.", StringComparison.Ordinal));
    }

    [Fact]
    public void FrameworkAssembly_OpensItsInternalsToTestAssembliesOnly()
    {
        var friends = Framework.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToList();

        Assert.DoesNotContain("Kai.Scheduling.Plugins", friends);
        Assert.All(friends, friend => Assert.True(friend.EndsWith(".Tests", StringComparison.Ordinal) || friend == "Kai.Benchmarks", friend));
    }

    [Fact]
    public void PluginsAssembly_UsesNoFileNetworkConsoleOrClockTypes()
    {
        using var stream = File.OpenRead(Plugins.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        var forbidden = metadata.TypeReferences
            .Select(handle => metadata.GetTypeReference(handle))
            .Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}")
            .Where(name => name.StartsWith("System.IO.", StringComparison.Ordinal)
                || name.StartsWith("System.Net.", StringComparison.Ordinal)
                || name is "System.Console" or "System.Diagnostics.Stopwatch" or "System.TimeProvider" or "System.Threading.Timer")
            .ToList();
        var clock = metadata.MemberReferences
            .Select(handle => metadata.GetMemberReference(handle))
            .Where(m => m.Parent.Kind == HandleKind.TypeReference)
            .Select(m => $"{metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)m.Parent).Name)}::{metadata.GetString(m.Name)}")
            .Where(name => name is "DateTime::get_Now" or "DateTime::get_UtcNow" or "DateTimeOffset::get_Now" or "DateTimeOffset::get_UtcNow" or "Random::get_Shared")
            .ToList();

        Assert.Empty(forbidden);
        Assert.Empty(clock);
    }
}
