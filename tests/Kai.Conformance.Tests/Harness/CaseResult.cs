namespace Kai.Conformance.Tests.Harness;

internal enum CaseOutcome
{
    Pass,
    Fail,
    Skip,
}

/// <param name="Reason">The short diff of a failure, or the skip reason.</param>
internal sealed record CaseResult(string Case, CaseOutcome Outcome, string Reason)
{
    public string Folder => Case.Split('/')[0];
}
