using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderPodGroupTests
{
    private const string Header = "apiVersion: scheduling.run.ai/v2alpha2\nkind: PodGroup\nmetadata:\n  name: pg\n  namespace: ml\nspec:\n";

    [Theory]
    [InlineData(-1)]
    [InlineData(-5)]
    public void LoadText_WhenMinMemberNegative_ReportsTheMinimum(int minMember)
    {
        var set = ManifestLoader.LoadText(Header + $"  minMember: {minMember}\n", "pg.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                new ManifestDiagnostic(
                    DiagnosticSeverity.Error,
                    new SourceLocation("pg.yaml", 1, 7),
                    "PodGroup ml/pg",
                    $"spec.minMember is {minMember}; it must be at least 0 (0: no gang, each pod runs on its own; leave it out for a gang of 1)"),
            ],
            set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenMinMemberZeroAndDurations_KeepsThePodGroup()
    {
        var set = ManifestLoader.LoadText(Header + "  minMember: 0\n  preemptionDelay: 5m\n  stalenessGracePeriod: -1s\n", "pg.yaml");

        Assert.Empty(set.Diagnostics);
        var spec = Assert.IsType<PodGroup>(Assert.Single(set.Objects).Object).Spec;
        Assert.Equal((0, "5m", "-1s"), (spec.MinMember, spec.PreemptionDelay, spec.StalenessGracePeriod));
    }

    [Theory]
    [InlineData("preemptionDelay: soon", "spec.preemptionDelay is \"soon\": ")]
    [InlineData("preemptionDelay: -5m", "spec.preemptionDelay is \"-5m\"; it must not be negative")]
    [InlineData("stalenessGracePeriod: 10", "spec.stalenessGracePeriod is \"10\": ")]
    public void LoadText_WhenDurationInvalid_ReportsTheField(string line, string expected)
    {
        var set = ManifestLoader.LoadText(Header + $"  {line}\n", "pg.yaml");

        Assert.Empty(set.Objects);
        Assert.StartsWith(expected, Assert.Single(set.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_WhenSubGroupsAreValid_KeepsThePodGroup()
    {
        const string subGroups = """
              minMember: 3
              subGroups:
              - name: leader
                minMember: 1
              - name: workers
                parent: leader
                minMember: 2
              - name: workers-0
                parent: workers
            """;

        var set = ManifestLoader.LoadText(Header + subGroups, "pg.yaml");

        Assert.Empty(set.Diagnostics);
        var podGroup = Assert.IsType<PodGroup>(Assert.Single(set.Objects).Object);
        Assert.Equal(["leader", "workers", "workers-0"], podGroup.Spec.SubGroups!.Select(s => s.Name));
    }

    [Fact]
    public void LoadText_WhenSubGroupNamesDuplicateOrInvalid_ReportsEach()
    {
        const string subGroups = """
              subGroups:
              - name: a
              - name: a
              - name: Bad_Name
              - minMember: 1
              - name: c
                minMember: -1
            """;

        var set = ManifestLoader.LoadText(Header + subGroups, "pg.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                (9, "spec.subGroups[1].name \"a\" duplicates spec.subGroups[0]; subgroup names must be unique"),
                (10, "spec.subGroups[2].name \"Bad_Name\" has uppercase letters; KAI's webhook requires lowercase subgroup names, e.g. \"bad_name\""),
                (11, "spec.subGroups[3] has no name; every subgroup needs a name such as \"workers\""),
                (13, "spec.subGroups[4].minMember is -1; it must be at least 0 (0: the sub-group's pods are optional)"),
            ],
            set.Diagnostics.Select(d => (d.Location.Line!.Value, d.Message)));
    }

    [Fact]
    public void LoadText_WhenSubGroupNameIsLowercaseButNoLabelValue_WarnsAndKeepsThePodGroup()
    {
        const string subGroups = """
              subGroups:
              - name: workers/a
              - name: under_score.and-dot
            """;

        var set = ManifestLoader.LoadText(Header + subGroups, "pg.yaml");

        Assert.Single(set.Objects);
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(8, warning.Location.Line);
        Assert.StartsWith("spec.subGroups[0].name \"workers/a\" is not a valid label value", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_WhenSubGroupParentUnknown_NamesTheKnownSubGroups()
    {
        const string subGroups = """
              subGroups:
              - name: a
              - name: b
                parent: c
            """;

        var set = ManifestLoader.LoadText(Header + subGroups, "pg.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(10, error.Location.Line);
        Assert.Equal("spec.subGroups[1].parent \"c\" is not a subgroup of this PodGroup; name one of: a, b, or leave parent out", error.Message);
    }

    [Fact]
    public void LoadText_WhenSubGroupParentsFormACycle_ReportsTheCycleOnce()
    {
        const string subGroups = """
              subGroups:
              - name: root
              - name: a
                parent: c
              - name: b
                parent: a
              - name: c
                parent: b
              - name: d
                parent: a
              - name: self
                parent: self
            """;

        var set = ManifestLoader.LoadText(Header + subGroups, "pg.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(10, error.Location.Line);
        Assert.Equal("spec.subGroups have a parent cycle: a -> c -> b -> a; parent chains must end at a subgroup without a parent", error.Message);
    }

    [Fact]
    public void LoadText_WhenOnlyASelfParentCycle_ReportsIt()
    {
        var set = ManifestLoader.LoadText(Header + "  subGroups:\n  - name: self\n    parent: self\n", "pg.yaml");

        Assert.Equal(
            "spec.subGroups have a parent cycle: self -> self; parent chains must end at a subgroup without a parent",
            Assert.Single(set.Diagnostics).Message);
    }

    [Fact]
    public void LoadText_WhenPreemptibilityUnknown_ReportsTheAllowedValues()
    {
        var set = ManifestLoader.LoadText(Header + "  preemptibility: never\n", "pg.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            "spec.preemptibility is \"never\"; use \"preemptible\" or \"non-preemptible\", or leave it out to decide by priority (below 100 is preemptible)",
            Assert.Single(set.Diagnostics).Message);
    }

    [Fact]
    public void LoadText_WhenSchedulingBackoffUnsupported_WarnsAndKeepsThePodGroup()
    {
        var set = ManifestLoader.LoadText(Header + "  schedulingBackoff: 3\n", "pg.yaml");

        Assert.Single(set.Objects);
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("spec.schedulingBackoff is 3; KAI supports only -1 (keep trying) and 1 (give up on the node pool after one failure)", warning.Message);
    }

    [Fact]
    public void LoadText_WhenATopologyConstraintHasALevelButNoTopology_WarnsThatKaiIgnoresIt()
    {
        var set = ManifestLoader.LoadText(Header + "  topologyConstraint: {requiredTopologyLevel: example.com/rack}\n", "pg.yaml");

        Assert.Single(set.Objects);
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("spec.topologyConstraint gives a level but no topology, so KAI ignores it; name the Topology object in spec.topologyConstraint.topology", warning.Message);
    }

    [Fact]
    public void LoadText_WhenASubGroupNamesATopologyButNoLevel_WarnsThatItsPodsStayPending()
    {
        var subGroups = "  subGroups:\n    - name: workers\n      minMember: 1\n      topologyConstraint: {topology: dc}\n";

        var set = ManifestLoader.LoadText(Header + subGroups, "pg.yaml");

        Assert.Single(set.Objects);
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(
            "spec.subGroups[0].topologyConstraint names topology \"dc\" but no level, so KAI cannot place these pods (they stay pending); give requiredTopologyLevel or preferredTopologyLevel",
            warning.Message);
    }

    [Fact]
    public void LoadText_WhenATopologyConstraintIsComplete_AcceptsItWithoutDiagnostics()
    {
        var set = ManifestLoader.LoadText(Header + "  topologyConstraint: {topology: dc, requiredTopologyLevel: example.com/zone, preferredTopologyLevel: example.com/rack}\n", "pg.yaml");

        Assert.Single(set.Objects);
        Assert.Empty(set.Diagnostics);
    }
}
