namespace Kai.Conformance.Tests.Harness;

/// <summary>Finds files of this repository from a test's output directory.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>This test project's folder in the source tree (the cases and the floor file live there, not in bin/).</summary>
    public static string ProjectDirectory => Path.Combine(Root, "tests", "Kai.Conformance.Tests");

    public static string CasesDirectory => Path.Combine(ProjectDirectory, "Cases");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kai.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Kai.slnx was not found above {AppContext.BaseDirectory}.");
    }
}
