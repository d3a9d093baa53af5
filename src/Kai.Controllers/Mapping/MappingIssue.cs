namespace Kai.Controllers.Mapping;

/// <summary>A Kubernetes object the scheduler could not fully understand, and what would be right.</summary>
public sealed record MappingIssue(string Kind, string? Namespace, string Name, string Message)
{
    public string ObjectRef => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    public override string ToString() => $"{ObjectRef}: {Message}";
}
