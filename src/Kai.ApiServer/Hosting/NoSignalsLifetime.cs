namespace Kai.ApiServer.Hosting;

/// <summary>
/// A host lifetime that leaves process signals alone: the API server is a component that its owner starts and
/// disposes (kai serve stops it on Ctrl-C or SIGTERM), not an application that should stop itself.
/// </summary>
internal sealed class NoSignalsLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
