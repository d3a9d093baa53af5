
namespace Kai.Cli.Tests;

/// <summary>Input files and fixed arguments shared by the command-line tests.</summary>
internal static class CliInputs
{
    /// <summary>A fixed simulated start, so no test depends on the wall clock.</summary>
    public const string Now = "2026-01-01T00:00:00Z";

    public static string Quickstart => Repository.Path_("examples", "quickstart.yaml");

    public static string Topology => Repository.Path_("examples", "topology.yaml");

    /// <summary>A scenario whose cycles 1-2 produce evict, pipeline and bind decisions.</summary>
    public static string Consolidation => Path.Combine(Repository.ScenariosDirectory, "disruptive", "consolidation.yaml");

    /// <summary>Whole GPUs, a GPU shared by two pods, and DRA GPU devices of which a claim takes one.</summary>
    public static string NodeDevices => Path.Combine(Repository.ScenariosDirectory, "cli", "node-devices.yaml");

    public static string LongNames => Path.Combine(Repository.ScenariosDirectory, "cli", "long-names.yaml");

    /// <summary>A path that does not exist (inside the repository, so it is the same on every machine).</summary>
    public static string Missing => Repository.Path_("tests", "Kai.Cli.Tests", "no-such-dir", "missing.yaml");

    /// <summary>Writes a scheduler configuration file for one test and returns its path.</summary>
    public static string WriteConfig(string name, string text)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "cli-configs");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
