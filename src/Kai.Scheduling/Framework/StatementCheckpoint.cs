namespace Kai.Scheduling.Framework;

/// <summary>A point in a <see cref="Statement"/> to roll back to: its operation count and the session's GPU group serial then.</summary>
public readonly record struct StatementCheckpoint(int Operations, long GpuGroupSerial);
