namespace Kai.Cli.Commands;

/// <summary>Exit codes of every <c>kai</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Ran; the input had no problems.</summary>
    public const int Success = 0;

    /// <summary>Could not run: no usable input, an unreadable or invalid configuration.</summary>
    public const int CouldNotRun = 1;

    /// <summary>The command line is wrong (unknown option, bad value).</summary>
    public const int Usage = 2;

    /// <summary>Ran, and reported problems with some input objects (which were skipped or degraded) or warnings about the configuration.</summary>
    public const int RanWithWarnings = 3;
}
