namespace Kai.Cluster.Kubernetes.Tests.Harness;

/// <summary>Finds files of this repository from the test's output directory.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "Kai.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Kai.slnx was not found above {AppContext.BaseDirectory}.");
    }
}
