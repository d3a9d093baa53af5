using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderTopologyTests
{
    private const string Header = "apiVersion: kai.scheduler/v1alpha1\nkind: Topology\nmetadata:\n  name: t\nspec:\n";

    [Theory]
    [InlineData("")]
    [InlineData("  levels: []\n")]
    public void LoadText_WhenNoLevels_ReportsAnErrorWithAnExample(string levels)
    {
        var set = ManifestLoader.LoadText(Header + levels, "t.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            "spec.levels is missing or empty; list 1 to 16 node labels top-down, e.g. levels: [{nodeLabel: topology.kubernetes.io/zone}, {nodeLabel: kubernetes.io/hostname}]",
            Assert.Single(set.Diagnostics).Message);
    }

    [Fact]
    public void LoadText_WhenLevelsBreakKaisCrdRules_ReportsEach()
    {
        const string levels = """
              levels:
              - nodeLabel: kubernetes.io/hostname
              - nodeLabel: rack
              - nodeLabel: rack
              - nodeLabel: "-bad-"
              - {}
            """;

        var set = ManifestLoader.LoadText(Header + levels, "t.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                (7, "spec.levels[0] is kubernetes.io/hostname, which may only be the last (lowest) level"),
                (9, "spec.levels[2].nodeLabel \"rack\" appears twice; each level must be unique"),
                (10, "spec.levels[3].nodeLabel \"-bad-\" is not a valid label key; use an optional DNS prefix and a name, e.g. example.com/rack or rack"),
                (11, "spec.levels[4].nodeLabel is missing; give a node label key such as topology.kubernetes.io/zone"),
            ],
            set.Diagnostics.Select(d => (d.Location.Line!.Value, d.Message)));
    }

    [Fact]
    public void LoadText_WhenMoreThanSixteenLevels_ReportsTheLimit()
    {
        var levels = "  levels:\n" + string.Concat(Enumerable.Range(0, 17).Select(i => $"  - nodeLabel: level-{i}\n"));

        var set = ManifestLoader.LoadText(Header + levels, "t.yaml");

        Assert.Equal("spec.levels has 17 levels; at most 16 are allowed", Assert.Single(set.Diagnostics).Message);
    }
}
