namespace Kai.Scheduling.Configuration;

/// <summary>A configuration error or warning: where (file and line, when known) and what is wrong and what would be right.</summary>
public sealed record ConfigurationMessage(string? Source, string Message)
{
    public override string ToString() => Source is null ? Message : $"{Source}: {Message}";
}
