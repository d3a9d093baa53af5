using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Kai.Scenarios.Tests.Harness;

/// <summary>
/// A scenario's expected outcome (<c>*.expect.yaml</c> beside the scenario): which files to simulate, with which
/// arguments, and what must hold in the report. Only what is listed is checked.
/// </summary>
internal sealed class ScenarioExpectation
{
    /// <summary>What the scenario shows, in one sentence.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>Input paths, relative to the expectation file.</summary>
    public List<string> Inputs { get; set; } = [];

    /// <summary>Further <c>kai simulate</c> arguments, e.g. <c>--cycles 3</c>.</summary>
    public List<string> Args { get; set; } = [];

    public string Now { get; set; } = "2026-01-01T00:00:00Z";

    /// <summary>A scheduler configuration file passed as <c>--config</c>, relative to the expectation file.</summary>
    public string? Config { get; set; }

    /// <summary>
    /// Set (to "BUG: what is wrong") when the product does not meet this scenario yet: the scenario is reported as
    /// skipped, not run as passing. Remove the key once the product is fixed.
    /// </summary>
    public string? Skip { get; set; }

    public Expected Expect { get; set; } = new();

    public static ScenarioExpectation Load(string path)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        return deserializer.Deserialize<ScenarioExpectation>(File.ReadAllText(path));
    }

    internal sealed class Expected
    {
        public int? ExitCode { get; set; }

        public List<PodExpectation> Pods { get; set; } = [];

        public List<GroupExpectation> PodGroups { get; set; } = [];

        public List<QueueExpectation> Queues { get; set; } = [];

        public Dictionary<string, int> DecisionCounts { get; set; } = [];

        public List<DecisionExpectation> Decisions { get; set; } = [];

        public List<DecisionExpectation> NoDecisions { get; set; } = [];

        /// <summary>Decisions that must all occur in this order (other decisions may come between them).</summary>
        public List<DecisionExpectation> DecisionSequence { get; set; } = [];

        public List<DiagnosticExpectation> Diagnostics { get; set; } = [];
    }

    /// <summary>A pod by namespace/name (or a name prefix ending in *).</summary>
    internal sealed class PodExpectation
    {
        public string Name { get; set; } = string.Empty;

        public string? Status { get; set; }

        public string? Node { get; set; }

        /// <summary>The node the pod left when the last cycle moved it.</summary>
        public string? PreviousNode { get; set; }

        /// <summary>The pod must not exist any more (evicted and gone).</summary>
        public bool? Gone { get; set; }

        public bool? SameNodeAs { get; set; }
    }

    internal sealed class GroupExpectation
    {
        public string Name { get; set; } = string.Empty;

        public string? Status { get; set; }

        public string? Reason { get; set; }

        public string? MessageContains { get; set; }

        public string? NoteContains { get; set; }

        /// <summary>Text one of the group's eviction stories must contain (why its pods were evicted or moved).</summary>
        public string? EvictionContains { get; set; }

        public int? Priority { get; set; }
    }

    internal sealed class QueueExpectation
    {
        public string Name { get; set; } = string.Empty;

        public Dictionary<string, decimal> FairShare { get; set; } = [];

        public Dictionary<string, decimal> Allocated { get; set; } = [];

        public Dictionary<string, decimal> Requested { get; set; } = [];
    }

    internal sealed class DecisionExpectation
    {
        public int? Cycle { get; set; }

        public string? Action { get; set; }

        public string? Kind { get; set; }

        public string? Pod { get; set; }

        public string? Node { get; set; }
    }

    internal sealed class DiagnosticExpectation
    {
        public string? Severity { get; set; }

        public string? Object { get; set; }

        /// <summary>Text the diagnostic's source (file:line, or file and document) must contain.</summary>
        public string? SourceContains { get; set; }

        public string? MessageContains { get; set; }
    }
}
