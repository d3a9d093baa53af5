using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

/// <summary>KAI's own example manifests (shared/kai-examples, kept under their original paths) must load unchanged.</summary>
public sealed class KaiExamplesTests
{
    [Fact]
    public void LoadPaths_WhenEachKaiExampleFile_LoadsWithoutErrors()
    {
        var files = ExampleFiles();
        var pods = 0;
        var queues = 0;

        var errors = new List<string>();
        foreach (var file in files)
        {
            var set = ManifestLoader.LoadPaths([file]);
            errors.AddRange(set.Errors.Select(d => d.ToString()));
            pods += set.OfType<V1Pod>().Count();
            queues += set.OfType<Queue>().Count();
        }

        Assert.Equal(19, files.Count);
        Assert.Empty(errors);
        Assert.Equal(12, pods);
        Assert.Equal(7, queues);
    }

    [Fact]
    public void LoadPaths_WhenAllKaiExamplesTogether_ReportsOnlyTheirOneDuplicatePodName()
    {
        var root = ExamplesRoot();

        var set = ManifestLoader.LoadPaths([Path.Combine(root, "docs"), Path.Combine(root, "examples")]);

        // docs/gpu-sharing/gpu-memory.yaml and gpu-sharing.yaml both define Pod default/gpu-sharing.
        var error = Assert.Single(set.Errors);
        Assert.Equal("Pod default/gpu-sharing", error.ObjectRef);
        Assert.Equal(Path.Combine(root, "docs", "gpu-sharing", "gpu-sharing.yaml"), error.Location.File);
        Assert.Equal(11, set.OfType<V1Pod>().Count());
        Assert.Equal(7, set.OfType<Queue>().Count());
    }

    [Fact]
    public void LoadPaths_WhenKaiExamplesUseWhatTheSchedulerIgnores_WarnsOncePerObject()
    {
        var root = ExamplesRoot();

        var set = ManifestLoader.LoadPaths([Path.Combine(root, "docs"), Path.Combine(root, "examples")]);

        Assert.Equal(
            [
                "this document has no apiVersion and no kind, so it is not a Kubernetes object; ignored",
            ],
            set.Warnings.Select(d => d.Message));
    }

    [Fact]
    public void LoadPaths_WhenDefaultQueuesExample_ReadsQuotaLimitAndWeight()
    {
        var file = Path.Combine(ExamplesRoot(), "docs", "quickstart", "default-queues.yaml");

        var set = ManifestLoader.LoadPaths([file]);

        Assert.Empty(set.Diagnostics);
        var queue = Assert.IsType<Queue>(set.Objects[1].Object);
        Assert.Equal("default-queue", queue.Metadata.Name);
        Assert.Equal("default-parent-queue", queue.Spec.ParentQueue);
        Assert.Equal(-1, queue.Spec.Resources!.Gpu!.Limit);
        Assert.Equal(1, queue.Spec.Resources.Gpu.OverQuotaWeight);
        Assert.Equal(0, queue.Spec.Resources.Gpu.Quota);
        Assert.Equal(new SourceLocation(file, 2, 23), set.Objects[1].Location);
    }

    private static List<string> ExampleFiles()
    {
        var root = ExamplesRoot();
        return new[] { "docs", "examples" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>tests/kai-examples in this repository (or shared/kai-examples beside the clone); KAI_EXAMPLES overrides.</summary>
    internal static string ExamplesRoot()
    {
        if (Environment.GetEnvironmentVariable("KAI_EXAMPLES") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            // The copy kept in this repository (tests/kai-examples), else shared/kai-examples beside the clone.
            var inRepository = Path.Combine(directory.FullName, "tests", "kai-examples");
            if (Directory.Exists(Path.Combine(inRepository, "docs")))
            {
                return inRepository;
            }

            var candidate = Path.Combine(directory.FullName, "shared", "kai-examples");
            if (Directory.Exists(Path.Combine(candidate, "docs")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"shared/kai-examples was not found above {AppContext.BaseDirectory}; set KAI_EXAMPLES to its path");
    }
}
