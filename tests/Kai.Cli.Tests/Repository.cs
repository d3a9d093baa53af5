namespace Kai.Cli.Tests;

/// <summary>Finds files of this repository from a test's output directory.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The scenario files of the end-to-end suite, which the command-line tests use as input too.</summary>
    public static string ScenariosDirectory => Path.Combine(Root, "tests", "Kai.Scenarios.Tests", "Scenarios");

    public static string Path_(params string[] parts) => Path.Combine([Root, .. parts]);

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
