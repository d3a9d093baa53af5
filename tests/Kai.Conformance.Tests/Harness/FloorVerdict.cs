namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// What a run means for the floor. <see cref="Problems"/> fail the test: a listed case that no longer passes
/// (even when another case started passing), a listed case that no longer exists, fewer passes than the floor.
/// <see cref="NewlyPassing"/> does not: it asks the developer to raise the floor.
/// </summary>
internal sealed record FloorVerdict(IReadOnlyList<string> Problems, IReadOnlyList<string> NewlyPassing, int Passed, int Floor)
{
    public static FloorVerdict Judge(ConformanceFloor floor, IReadOnlyList<CaseResult> results)
    {
        var byCase = results.ToDictionary(r => r.Case, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var listed in floor.Passing)
        {
            if (!byCase.TryGetValue(listed, out var result))
            {
                problems.Add($"REGRESSION {listed}: listed as passing in {ConformanceFloor.FileName}, but there is no such case");
            }
            else if (result.Outcome != CaseOutcome.Pass)
            {
                problems.Add($"REGRESSION {listed}: listed as passing, now {result.Outcome.ToString().ToLowerInvariant()}: {result.Reason}");
            }
        }

        var passed = results.Count(r => r.Outcome == CaseOutcome.Pass);
        if (passed < floor.Floor)
        {
            problems.Add($"{passed} cases pass, fewer than the floor of {floor.Floor}");
        }

        var listedSet = floor.Passing.ToHashSet(StringComparer.Ordinal);
        var newlyPassing = results.Where(r => r.Outcome == CaseOutcome.Pass && !listedSet.Contains(r.Case)).Select(r => r.Case).Order(StringComparer.Ordinal).ToList();
        return new FloorVerdict(problems, newlyPassing, passed, floor.Floor);
    }

    /// <summary>The advice to raise the floor, or null when there is nothing new.</summary>
    public string? RaiseAdvice => NewlyPassing.Count == 0 && Passed <= Floor
        ? null
        : $"{Passed} cases pass, more than the floor of {Floor}"
          + (NewlyPassing.Count > 0 ? $"; {NewlyPassing.Count} not yet listed as passing: {string.Join(", ", NewlyPassing)}" : string.Empty)
          + $". Raise the floor: KAI_CONFORMANCE_UPDATE=1 dotnet test tests/Kai.Conformance.Tests, then commit {ConformanceFloor.FileName}.";
}
