using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderPathTests
{
    private static readonly string Cluster = Path.Combine(AppContext.BaseDirectory, "Manifests", "Data", "cluster");

    [Fact]
    public void LoadPaths_WhenDirectory_LoadsManifestFilesRecursivelyInOrdinalOrder()
    {
        var set = ManifestLoader.LoadPaths([Cluster]);

        Assert.Equal(
            [
                ("Node", "gpu-node-1", Path.Combine(Cluster, "nodes", "gpu-nodes.yaml")),
                ("Node", "gpu-node-2", Path.Combine(Cluster, "nodes", "gpu-nodes.yaml")),
                ("Queue", "team-a", Path.Combine(Cluster, "queues.yml")),
                ("Pod", "trainer-0", Path.Combine(Cluster, "workloads", "team-a", "trainer.json")),
            ],
            set.Objects.Select(o => (o.Object.Kind, o.Object.Metadata.Name, o.Location.File)));
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(new SourceLocation(Path.Combine(Cluster, "workloads", "team-a", "broken.yaml"), 1, 5), error.Location);
        Assert.Equal(8, set.OfType<Queue>().Single().Spec.Resources!.Gpu!.Quota);
        Assert.Equal("2", set.OfType<V1Pod>().Single().Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public void LoadPaths_WhenFileNamedExplicitly_ReadsItWhateverItsExtension()
    {
        var set = ManifestLoader.LoadPaths([Path.Combine(Cluster, "workloads", "notes.txt")]);

        Assert.Empty(set.Diagnostics);
        Assert.Equal("from-txt", Assert.Single(set.Objects).Object.Metadata.Name);
    }

    [Fact]
    public void LoadPaths_WhenPathMissing_ReportsAnErrorAndLoadsTheRest()
    {
        var missing = Path.Combine(Cluster, "does-not-exist.yaml");

        var set = ManifestLoader.LoadPaths([missing, Path.Combine(Cluster, "queues.yml")]);

        Assert.Single(set.Objects);
        Assert.Equal(
            [
                new ManifestDiagnostic(
                    DiagnosticSeverity.Error,
                    new SourceLocation(missing, 0, null),
                    null,
                    "no such file or directory; give a manifest file (.yaml, .yml, .json) or a directory that contains them"),
            ],
            set.Diagnostics);
    }

    [Fact]
    public void LoadPaths_WhenAFileIsReachedTwice_ReadsItOnce()
    {
        var queues = Path.Combine(Cluster, "queues.yml");

        var set = ManifestLoader.LoadPaths([queues, Cluster, queues]);

        Assert.Equal(4, set.Objects.Count);
        Assert.Equal("team-a", set.Objects[0].Object.Metadata.Name);
        Assert.Single(set.Diagnostics);
    }

    [Fact]
    public void LoadPaths_WhenDirectoryHasNoManifests_Warns()
    {
        var directory = Directory.CreateTempSubdirectory("kai-manifests-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "readme.md"), "nothing here");

            var set = ManifestLoader.LoadPaths([directory.FullName]);

            Assert.Equal(
                [
                    new ManifestDiagnostic(
                        DiagnosticSeverity.Warning,
                        new SourceLocation(directory.FullName, 0, null),
                        null,
                        "the directory has no .yaml, .yml or .json files; nothing was loaded from it"),
                ],
                set.Diagnostics);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadPaths_WhenDirectoryHasHiddenFilesAndUpperCaseExtensions_SkipsHiddenOnes()
    {
        var directory = Directory.CreateTempSubdirectory("kai-manifests-");
        try
        {
            const string node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: {0}\n";
            File.WriteAllText(Path.Combine(directory.FullName, ".hidden.yaml"), string.Format(null, node, "hidden"));
            File.WriteAllText(Path.Combine(directory.FullName, "B.YAML"), string.Format(null, node, "upper"));
            File.WriteAllText(Path.Combine(directory.FullName, "a.yaml"), string.Format(null, node, "lower"));

            var set = ManifestLoader.LoadPaths([directory.FullName]);

            Assert.Empty(set.Diagnostics);
            Assert.Equal(["upper", "lower"], set.Objects.Select(o => o.Object.Metadata.Name));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
