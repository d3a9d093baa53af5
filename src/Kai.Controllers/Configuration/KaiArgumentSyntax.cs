using Kai.Cluster.Crds;
using Kai.Scheduling.Configuration;

namespace Kai.Controllers.Configuration;

/// <summary>Argument text as KAI's configuration writes it: durations in Go's syntax (<c>30s</c>, <c>5m</c>, <c>1h30m</c>).</summary>
internal sealed class KaiArgumentSyntax : ArgumentSyntax
{
    public static KaiArgumentSyntax Instance { get; } = new();

    public override string DurationExamples => "30s, 5m or 1h30m";

    public override bool TryParseDuration(string text, out TimeSpan value)
    {
        var parsed = GoDuration.TryParse(text, out var duration, out _);
        value = parsed ? duration.ToTimeSpan() : default;
        return parsed;
    }
}
