using System.CommandLine;

namespace Kai.Cli.Commands;

/// <summary>
/// <c>kai pause</c>: waits until stopped (SIGTERM, Ctrl-C) and exits cleanly. The node-scale-adjuster's scaling pods run
/// it: they only hold their GPUs so that a cluster autoscaler adds a node, as KAI's scaling-pod image does.
/// </summary>
internal static class PauseCommand
{
    public static Command Create()
    {
        var command = new Command("pause", "Wait until stopped (the command of the node-scale-adjuster's scaling pods).");
        command.SetAction(async (_, cancellationToken) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped: the pod is done.
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
