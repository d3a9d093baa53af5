namespace Kai.Conformance.Tests.Harness;

/// <summary>A case did not behave as KAI does; the message is the short diff printed after <c>FAIL &lt;case&gt;:</c>.</summary>
internal sealed class CaseFailure(string message) : Exception(message);

/// <summary>The harness itself is broken (a case folder without expect.json, an unreadable file), not the scheduler.</summary>
internal sealed class HarnessException(string message) : Exception(message);
