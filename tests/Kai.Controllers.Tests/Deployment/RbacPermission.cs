namespace Kai.Controllers.Tests.Deployment;

/// <summary>One permission: a verb on a resource (with its subresource, <c>pods/status</c>) of an API group ("" = core).</summary>
internal sealed record RbacPermission(string Group, string Resource, string Verb)
{
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)} {Resource} {Verb}";
}
