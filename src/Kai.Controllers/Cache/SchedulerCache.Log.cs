using Kai.Controllers.Observability;

namespace Kai.Controllers.Cache;

/// <summary>The cache's log messages (event ids in <see cref="KaiEventIds"/>).</summary>
public sealed partial class SchedulerCache
{
    [LoggerMessage(EventId = KaiEventIds.MappingIssue, Level = LogLevel.Warning, Message = "{Object}: {Problem}")]
    private static partial void LogMappingIssue(ILogger logger, string @object, string problem);
}
