namespace Kai.Conformance.Tests.Harness;

/// <summary>One case folder: <c>Cases/&lt;folder&gt;/&lt;case&gt;/</c> with scenario.yaml, expect.json and maybe config.yaml.</summary>
/// <param name="Id"><c>&lt;folder&gt;/&lt;case&gt;</c>, as the Python runner names it.</param>
internal sealed record ConformanceCase(string Id, string Directory)
{
    public string Folder => Id.Split('/')[0];

    public string ScenarioFile => Path.Combine(Directory, "scenario.yaml");

    /// <summary>Every case under <paramref name="root"/>, ordered as the Python runner orders them (ordinal, folder then case).</summary>
    public static IReadOnlyList<ConformanceCase> Discover(string root)
    {
        if (!System.IO.Directory.Exists(root))
        {
            throw new HarnessException($"no case directory {root}");
        }

        var found = new List<ConformanceCase>();
        foreach (var folder in System.IO.Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            foreach (var caseDirectory in System.IO.Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(caseDirectory, "expect.json")))
                {
                    found.Add(new ConformanceCase($"{Path.GetFileName(folder)}/{Path.GetFileName(caseDirectory)}", caseDirectory));
                }
            }
        }

        return found;
    }
}
