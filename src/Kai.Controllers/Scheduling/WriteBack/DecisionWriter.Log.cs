using Kai.Cluster.Port;
using Kai.Controllers.Observability;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>The write-back's log messages (event ids in <see cref="KaiEventIds"/>).</summary>
internal sealed partial class DecisionWriter
{
    [LoggerMessage(EventId = KaiEventIds.WriteFailed, Level = LogLevel.Error,
        Message = "Writing the {What} of {Object} failed ({Reason}): {Problem}; the next cycle decides again")]
    private static partial void LogWriteFailed(ILogger logger, string what, string @object, ClusterErrorReason reason, string problem);

    [LoggerMessage(EventId = KaiEventIds.WriteFailed, Level = LogLevel.Error,
        Message = "Writing the decisions a failed cycle had committed failed ({Failure}): {Problem}; the next cycle decides again")]
    private static partial void LogAbandonedWriteFailed(ILogger logger, string failure, string problem);
}
