using Xunit.Abstractions;
using Xunit.Sdk;

namespace Kai.Conformance.Tests;

/// <summary>
/// Lines for the runner's own output: xunit shows diagnostic messages (enabled in xunit.runner.json) in every
/// <c>dotnet test</c>, passing or not, where a test's output appears only when it fails or at detailed verbosity.
/// </summary>
public sealed class RunnerMessages(IMessageSink sink)
{
    public void Write(string line) => sink.OnMessage(new DiagnosticMessage(line));
}
