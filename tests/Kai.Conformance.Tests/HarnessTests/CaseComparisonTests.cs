using Kai.Conformance.Tests.Harness;

namespace Kai.Conformance.Tests.HarnessTests;

public sealed class CaseComparisonTests
{
    [Fact]
    public void Compare_WhenStatusDiffers_WordsItAsThePythonRunner()
    {
        var expectation = Expect(("default/a-0", new PodCheck("Pipelined", "node1", null)));
        var view = View(("default/a-0", new PodObservation("Pending", null, [])));

        var differences = CaseComparison.Compare(expectation, view);

        Assert.Equal(["a-0 Pending (want Pipelined@node1)"], differences);
    }

    [Fact]
    public void Compare_WhenNodeIsNotChecked_AcceptsAnyNode()
    {
        var expectation = Expect(("default/a-0", new PodCheck("Running", null, null)));

        var differences = CaseComparison.Compare(expectation, View(("default/a-0", new PodObservation("Running", "node7", []))));

        Assert.Empty(differences);
    }

    [Fact]
    public void Compare_WhenNodeDiffers_NamesBothNodes()
    {
        var expectation = Expect(("default/a-0", new PodCheck("Running", "node0", null)));

        var differences = CaseComparison.Compare(expectation, View(("default/a-0", new PodObservation("Running", "node1", []))));

        Assert.Equal(["a-0 on node1 (want node0)"], differences);
    }

    [Fact]
    public void Compare_WhenPodIsMissing_SaysSo()
    {
        var differences = CaseComparison.Compare(Expect(("default/a-0", new PodCheck("Running", null, null))), View());

        Assert.Equal(["a-0 missing from output"], differences);
    }

    [Fact]
    public void CompareGpuGroups_WhenPodsOfOneClassReportDifferentGroups_Fails()
    {
        var differences = CaseComparison.CompareGpuGroups(
        [
            ("default/a-0", "node0/0", new PodObservation("Running", "node0", ["g1"])),
            ("default/b-0", "node0/0", new PodObservation("Running", "node0", ["g2"])),
        ]);

        Assert.Equal(["b-0 gpu group ['g2'] != a-0's ['g1'] (expected the same GPU)"], differences);
    }

    [Fact]
    public void CompareGpuGroups_WhenPodsOfDifferentClassesShareAGroupOnOneNode_Fails()
    {
        var differences = CaseComparison.CompareGpuGroups(
        [
            ("default/a-0", "*/0", new PodObservation("Running", "node0", ["g1"])),
            ("default/b-0", "*/1", new PodObservation("Running", "node0", ["g1"])),
        ]);

        Assert.Equal(["a-0 and b-0 share gpu group ['g1'] (expected different GPUs)"], differences);
    }

    [Fact]
    public void CompareGpuGroups_WhenTheSameLabelIsScopedToDifferentNodes_TheyAreDifferentClasses()
    {
        var differences = CaseComparison.CompareGpuGroups(
        [
            ("default/a-0", "*/0", new PodObservation("Running", "node0", ["g1"])),
            ("default/b-0", "*/0", new PodObservation("Running", "node1", ["g9"])),
        ]);

        Assert.Empty(differences);
    }

    [Fact]
    public void Compare_WhenAFractionalPodHasNoGroup_Fails()
    {
        var expectation = Expect(("default/a-0", new PodCheck("Running", null, "node0/0")));

        var differences = CaseComparison.Compare(expectation, View(("default/a-0", new PodObservation("Running", "node0", []))));

        Assert.Equal(["a-0 has no gpu group (fractional pod, Running)"], differences);
    }

    [Fact]
    public void Compare_WhenAFractionalPodIsPending_DoesNotCheckItsGroup()
    {
        var expectation = Expect(("default/a-0", new PodCheck("Pending", null, "node0/0")));

        var differences = CaseComparison.Compare(expectation, View(("default/a-0", new PodObservation("Pending", null, []))));

        Assert.Empty(differences);
    }

    [Fact]
    public void Brief_WhenMoreThanFour_CountsTheRest()
    {
        Assert.Equal("a; b; c; d; +2 more", CaseComparison.Brief(["a", "b", "c", "d", "e", "f"]));
    }

    internal static CaseExpectation Expect(params (string Key, PodCheck Check)[] checks) => new()
    {
        SkipReason = null,
        Kind = "single_session",
        Actions = ["allocate"],
        RoundsUntilMatch = 0,
        RoundsAfterMatch = 0,
        DeletedJobs = new HashSet<string>(),
        ConfigFile = null,
        Now = "2026-01-01T00:00:00Z",
        DefaultNamespace = "default",
        CheckedPods = checks.Select(c => c.Key).ToList(),
        Checks = checks.ToDictionary(c => c.Key, c => c.Check),
    };

    private static Dictionary<string, PodObservation> View(params (string Key, PodObservation Pod)[] pods) => pods.ToDictionary(p => p.Key, p => p.Pod);
}
